"""Python fasteners' reader/writer lock, timed for the lock benchmark.

  uncontended PATH N   prints JSON: ns per write lock + release, new lock object each time (as
                       Python ipmmap does) and one reused object; and the same for read locks
  handoff PATH         for each "round" on stdin: prints "waiting", blocks in acquire_write_lock
                       (fasteners polls with 10-100 ms sleeps), then prints the CLOCK_MONOTONIC
                       time in ns at which it got the lock, and releases it
"""
import json
import sys
import time

import fasteners

mode, path = sys.argv[1], sys.argv[2]

if mode == "uncontended":
    n = int(sys.argv[3])
    result = {}
    for exclusive in (True, False):
        side = "write" if exclusive else "read"
        start = time.perf_counter_ns()
        for _ in range(n):
            lock = fasteners.InterProcessReaderWriterLock(path)
            if exclusive:
                lock.acquire_write_lock()
                lock.release_write_lock()
            else:
                lock.acquire_read_lock()
                lock.release_read_lock()
        result[side + "_new_object_ns"] = (time.perf_counter_ns() - start) / n
        lock = fasteners.InterProcessReaderWriterLock(path)
        start = time.perf_counter_ns()
        for _ in range(n):
            if exclusive:
                lock.acquire_write_lock()
                lock.release_write_lock()
            else:
                lock.acquire_read_lock()
                lock.release_read_lock()
        result[side + "_reused_ns"] = (time.perf_counter_ns() - start) / n
    print(json.dumps(result), flush=True)
elif mode == "handoff":
    lock = fasteners.InterProcessReaderWriterLock(path)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "round":
            break
        print("waiting", flush=True)
        lock.acquire_write_lock()
        got = time.monotonic_ns()
        lock.release_write_lock()
        print("got", got, flush=True)
