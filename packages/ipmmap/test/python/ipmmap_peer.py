#!/usr/bin/env python3
"""A Python peer that behaves like Python ipmmap 0.1.0 on the wire.

It reproduces ipmmap's file naming (pathlib's with_suffix + resolve), byte layout (ctypes native
structs starting with MmapStructureHeader) and lock protocol (a fasteners
InterProcessReaderWriterLock, i.e. whole-file fcntl record locks on a separate empty .lockfile,
opened anew on every `with`), so shmkit's tests and benchmark can talk to "ipmmap" without the
ipmmap package itself, which is not packaged anywhere installable.

Every sub-command prints JSON (or plain status words for the lock commands) on stdout.
Only the standard library and fasteners are used.
"""

import argparse
import ctypes
import json
import mmap
import os
import pathlib
import sys
import time

import fasteners

HEADER_UNIQUE_BYTES = 0x1128
DEFAULT_MMAP_FILE_DIR = "./.mmap"
DEFAULT_FASTENERS_FILE_DIR = "./.fasteners"


# --- structures (transcribed from the compatibility reference, section 4) -----------------------

class MmapStructureHeader(ctypes.Structure):
    _fields_ = (("header_code", ctypes.c_short), ("time_stamp", ctypes.c_double))


class Point2D(ctypes.Structure):
    _fields_ = (("x", ctypes.c_double), ("y", ctypes.c_double))


class MultiPointsData(ctypes.Structure):
    _fields_ = (("multi_data_int", ctypes.c_int32), ("multi_points", Point2D * 24))


class DemoMmapStructure(ctypes.Structure):
    _fields_ = (
        ("header", MmapStructureHeader),
        ("data_int", ctypes.c_int32),
        ("data_string", ctypes.c_char * 256),
        ("data_xy", Point2D),
        ("multi_pts", MultiPointsData),
    )


class SampleMmapStructure(ctypes.Structure):
    _fields_ = (
        ("header", MmapStructureHeader),
        ("test_data_int_32", ctypes.c_int32),
        ("test_data_double", ctypes.c_float),
        ("test_data_string_256", ctypes.c_char * 256),
        ("test_point_2d", Point2D),
    )


class MixedMmapStructure(ctypes.Structure):
    _fields_ = (
        ("header", MmapStructureHeader),
        ("b", ctypes.c_bool),
        ("c", ctypes.c_char),
        ("w", ctypes.c_wchar * 4),
        ("l", ctypes.c_long),
        ("f", ctypes.c_float),
        ("arr", ctypes.c_int16 * 3),
        ("u8", ctypes.c_uint8),
        ("ull", ctypes.c_uint64),
    )


STRUCTS = {cls.__name__: cls for cls in (DemoMmapStructure, SampleMmapStructure, MixedMmapStructure)}


# --- names ---------------------------------------------------------------------------------------

def data_path(mmap_dir, struct_name, tag):
    return (pathlib.Path(mmap_dir) / (struct_name + "_" + tag)).with_suffix(".mmap").resolve()


def lock_path(fastener_dir, struct_name, tag):
    return (pathlib.Path(fastener_dir) / (struct_name + "_" + tag)).with_suffix(".lockfile").resolve()


# --- an ipmmap-shaped handle ---------------------------------------------------------------------

class Handle:
    """One ipmmap handle: `with` takes the lock (a new fasteners lock object each time, as ipmmap
    does), opens and maps the data file, and undoes all of it on exit."""

    def __init__(self, args, editable):
        self.struct_type = STRUCTS[args.struct]
        self.editable = editable
        mmap_dir = pathlib.Path(args.mmap_dir)
        fastener_dir = pathlib.Path(args.fastener_dir)
        mmap_dir.mkdir(exist_ok=True)
        fastener_dir.mkdir(exist_ok=True)
        self.mmap_file_path = data_path(mmap_dir, args.struct, args.tag)
        self.fastener_file_path = lock_path(fastener_dir, args.struct, args.tag)
        self.rw_lock = None
        self.fs = None
        self.mm = None

    def acquire(self, blocking=True):
        self.rw_lock = fasteners.InterProcessReaderWriterLock(str(self.fastener_file_path))
        if self.editable:
            gotten = self.rw_lock.acquire_write_lock(blocking=blocking)
        else:
            gotten = self.rw_lock.acquire_read_lock(blocking=blocking)
        if not gotten:
            self.rw_lock = None
            return False
        if self.editable:
            self.fs = open(self.mmap_file_path, "r+b")
            self.mm = mmap.mmap(self.fs.fileno(), 0, access=mmap.ACCESS_WRITE)
        else:
            self.fs = open(self.mmap_file_path, "rb")
            self.mm = mmap.mmap(self.fs.fileno(), 0, access=mmap.ACCESS_READ)
        return True

    def release(self):
        self.mm.close()
        self.fs.close()
        self.mm = self.fs = None
        if self.editable:
            self.rw_lock.release_write_lock()
        else:
            self.rw_lock.release_read_lock()
        self.rw_lock = None

    def __enter__(self):
        self.acquire(blocking=True)
        return self

    def __exit__(self, *exc):
        self.release()
        return False

    # ipmmap's readData copies the whole structure, then walks the key.
    def read_data(self, key):
        copy = self.struct_type.from_buffer_copy(self.mm)
        return walk(copy, key)

    def read_mapped_buffer(self):
        return self.struct_type.from_buffer_copy(self.mm)

    def refer_mapped_buffer(self):
        return self.struct_type.from_buffer(self.mm)

    def write_data(self, key, value):
        live = self.struct_type.from_buffer(self.mm)
        parts = key.split(".")
        target = walk(live, ".".join(parts[:-1])) if len(parts) > 1 else live
        last = parts[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            if not hasattr(target, last):
                raise AttributeError("unknown key " + key)
            setattr(target, last, value)

    def update_last_update(self, stamp=None):
        live = self.struct_type.from_buffer(self.mm)
        live.header.time_stamp = time.time() if stamp is None else stamp

    def get_last_update(self):
        return self.struct_type.from_buffer_copy(self.mm).header.time_stamp


def walk(obj, key):
    if key == "":
        return obj
    for part in key.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
    return obj


def create_file(args, force):
    """ipmmap's Manager creation: only when missing unless forced; O_TRUNC + one write; no lock."""
    handle = Handle(args, editable=True)
    path = handle.mmap_file_path
    if path.exists() and not force:
        return path, None
    image = handle.struct_type()
    image.header.header_code = HEADER_UNIQUE_BYTES
    image.header.time_stamp = time.time()
    with open(path, "wb") as f:
        f.write(bytes(image))
    return path, image.header.time_stamp


# --- JSON conversions ----------------------------------------------------------------------------

def to_json(value):
    if isinstance(value, ctypes.Structure):
        return {name: to_json(getattr(value, name)) for name, *_ in value._fields_}
    if isinstance(value, ctypes.Array):
        if value._type_ is ctypes.c_char:
            return {"bytes": value.value.hex()}
        if value._type_ is ctypes.c_wchar:
            return value.value
        return [to_json(v) for v in value]
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    return value


def from_json(value):
    """Values arrive as JSON; {"bytes": hex} becomes bytes, {"utf8": text} encodes text."""
    if isinstance(value, dict) and "bytes" in value:
        return bytes.fromhex(value["bytes"])
    if isinstance(value, dict) and "utf8" in value:
        return value["utf8"].encode("utf-8")
    return value


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


# --- sub-commands --------------------------------------------------------------------------------

def cmd_paths(args):
    tags = json.loads(args.tags)
    emit([
        {"tag": t, "data": str(data_path(args.mmap_dir, args.struct, t)),
         "lock": str(lock_path(args.fastener_dir, args.struct, t))}
        for t in tags
    ])


def cmd_layout(args):
    """Every leaf field with its absolute offset and size, as ctypes lays it out."""
    out = []

    def visit(ctype, prefix, base):
        if issubclass(ctype, ctypes.Structure):
            for name, ftype, *_ in ctype._fields_:
                visit(ftype, prefix + [name], base + getattr(ctype, name).offset)
        elif issubclass(ctype, ctypes.Array) and ctype._type_ not in (ctypes.c_char, ctypes.c_wchar):
            step = ctypes.sizeof(ctype._type_)
            for i in range(ctype._length_):
                visit(ctype._type_, prefix + [str(i)], base + i * step)
        else:
            out.append({"path": ".".join(prefix), "offset": base, "size": ctypes.sizeof(ctype)})

    cls = STRUCTS[args.struct]
    visit(cls, [], 0)
    emit({"size": ctypes.sizeof(cls), "align": ctypes.alignment(cls), "leaves": out})


def cmd_create(args):
    path, stamp = create_file(args, args.force)
    emit({"path": str(path), "time_stamp": stamp})


def cmd_write(args):
    values = json.loads(args.values)
    with Handle(args, editable=True) as editor:
        for key, value in values.items():
            editor.write_data(key, from_json(value))
        if args.stamp is not None:
            editor.update_last_update(args.stamp)
        elif not args.no_stamp:
            editor.update_last_update()
        emit({"time_stamp": editor.get_last_update()})


def cmd_read(args):
    with Handle(args, editable=False) as reader:
        data = reader.read_mapped_buffer()
        emit({
            "time_stamp": reader.get_last_update(),
            "data": to_json(data),
            "raw": bytes(reader.mm[: ctypes.sizeof(reader.struct_type)]).hex(),
            "file_size": os.fstat(reader.fs.fileno()).st_size,
        })


def cmd_try(args):
    handle = Handle(args, editable=(args.kind == "write"))
    if handle.acquire(blocking=False):
        handle.release()
        print("ACQUIRED", flush=True)
    else:
        print("BUSY", flush=True)


def cmd_wait(args):
    """Blocking acquisition the ipmmap way (fasteners' sleeps); reports how long it waited."""
    handle = Handle(args, editable=(args.kind == "write"))
    print("WAITING", flush=True)
    start = time.monotonic()
    handle.acquire(blocking=True)
    waited = time.monotonic() - start
    stamp = handle.get_last_update()
    handle.release()
    print("ACQUIRED %.1f ms %r" % (waited * 1000, stamp), flush=True)


def cmd_hold(args):
    """Holds the lock (and the mapping) until a line arrives on stdin, stdin closes, or --seconds."""
    import select

    handle = Handle(args, editable=(args.kind == "write"))
    handle.acquire(blocking=True)
    if args.write_int is not None:
        handle.write_data("data_int", args.write_int)
    print("LOCKED", flush=True)
    deadline = time.monotonic() + args.seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([sys.stdin], [], [], min(remaining, 0.5))
        if ready:
            sys.stdin.readline()
            break
    handle.release()
    print("RELEASED", flush=True)


def cmd_writer_loop(args):
    """Writes three related fields per lock: data_int = i, data_xy.x = i, data_xy.y = -i."""
    deadline = time.monotonic() + args.seconds
    i = 0
    while time.monotonic() < deadline and (args.count == 0 or i < args.count):
        i += 1
        with Handle(args, editable=True) as editor:
            editor.write_data("data_int", i)
            editor.write_data("data_xy.x", float(i))
            editor.write_data("data_xy.y", float(-i))
            editor.update_last_update()
    emit({"writes": i})


def cmd_reader_loop(args):
    deadline = time.monotonic() + args.seconds
    reads = torn = 0
    seen = set()
    while time.monotonic() < deadline:
        with Handle(args, editable=False) as reader:
            data = reader.read_mapped_buffer()
        reads += 1
        n = data.data_int
        seen.add(n)
        if data.data_xy.x != float(n) or data.data_xy.y != float(-n):
            torn += 1
    emit({"reads": reads, "torn": torn, "distinct": len(seen)})


def cmd_bench(args):
    """The ipmmap usage patterns the shmkit benchmark compares against, timed here."""
    results = {}

    def timed(name, fn, unit_ops=1):
        best = 0.0
        for _ in range(args.repeats):
            n = 0
            start = time.perf_counter()
            deadline = start + args.seconds
            while True:
                for _ in range(64):
                    fn()
                n += 64
                now = time.perf_counter()
                if now >= deadline:
                    break
            rate = n * unit_ops / (now - start)
            best = max(best, rate)
        results[name] = best

    def new_reader_read():
        with Handle(args, editable=False) as r:
            r.read_data("data_int")

    reused_reader = Handle(args, editable=False)

    def reused_reader_read():
        with reused_reader as r:
            r.read_data("data_int")

    def new_editor_write():
        with Handle(args, editable=True) as e:
            e.write_data("data_int", 7)

    reused_editor = Handle(args, editable=True)

    def reused_editor_write():
        with reused_editor as e:
            e.write_data("data_int", 7)

    timed("read_new_handle", new_reader_read)
    timed("read_reused_handle", reused_reader_read)
    timed("write_new_handle", new_editor_write)
    timed("write_reused_handle", reused_editor_write)

    inner = 1000
    with Handle(args, editable=False) as held_reader:
        def held_read():
            for _ in range(inner):
                held_reader.read_data("data_int")
        timed("read_held", held_read, inner)

        def held_read_nested():
            for _ in range(inner):
                held_reader.read_data("data_xy.x")
        timed("read_held_nested", held_read_nested, inner)
    with Handle(args, editable=True) as held_editor:
        def held_write():
            for _ in range(inner):
                held_editor.write_data("data_int", 7)
        timed("write_held", held_write, inner)
    emit(results)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mmap-dir", default=DEFAULT_MMAP_FILE_DIR)
    parser.add_argument("--fastener-dir", default=DEFAULT_FASTENERS_FILE_DIR)
    parser.add_argument("--struct", default="DemoMmapStructure", choices=sorted(STRUCTS))
    parser.add_argument("--tag", default="")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("paths")
    p.add_argument("tags", help="JSON list of tags")
    p.set_defaults(fn=cmd_paths)

    sub.add_parser("layout").set_defaults(fn=cmd_layout)

    p = sub.add_parser("create")
    p.add_argument("--force", action="store_true")
    p.set_defaults(fn=cmd_create)

    p = sub.add_parser("write")
    p.add_argument("values", help='JSON object of key -> value ({"bytes": hex} or {"utf8": text} for char arrays)')
    p.add_argument("--no-stamp", action="store_true")
    p.add_argument("--stamp", type=float)
    p.set_defaults(fn=cmd_write)

    sub.add_parser("read").set_defaults(fn=cmd_read)

    for name, fn in (("try", cmd_try), ("wait", cmd_wait)):
        p = sub.add_parser(name)
        p.add_argument("kind", choices=("read", "write"))
        p.set_defaults(fn=fn)

    p = sub.add_parser("hold")
    p.add_argument("kind", choices=("read", "write"))
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--write-int", type=int)
    p.set_defaults(fn=cmd_hold)

    p = sub.add_parser("writer-loop")
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--count", type=int, default=0)
    p.set_defaults(fn=cmd_writer_loop)

    p = sub.add_parser("reader-loop")
    p.add_argument("--seconds", type=float, default=2.0)
    p.set_defaults(fn=cmd_reader_loop)

    p = sub.add_parser("bench")
    p.add_argument("--seconds", type=float, default=0.5)
    p.add_argument("--repeats", type=int, default=3)
    p.set_defaults(fn=cmd_bench)

    args = parser.parse_args(argv)
    args.fn(args)


if __name__ == "__main__":
    main(sys.argv[1:])
