/*
 * Memory handed to JavaScript as an external ArrayBuffer (mmap'd files and attached System V
 * segments). Each mapping has a small heap record with a `released` flag so that an explicit
 * munmap/shmdt and the GC finaliser never release the memory twice. Live mappings are kept in a
 * registry keyed by address so that munmap/shmdt can tell our buffers from any other ArrayBuffer.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "common.h"

typedef struct mapping {
  void *addr;
  size_t map_length;
  shmkit_map_kind kind;
  bool released;
  struct mapping *next;
} mapping;

#define BUCKETS 1024
static mapping *registry[BUCKETS];
/* Worker threads may load the addon too, so the registry is shared and locked. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t bucket_of(const void *addr) { return ((uintptr_t)addr >> 12) % BUCKETS; }

static void registry_add(mapping *m) {
  pthread_mutex_lock(&registry_lock);
  size_t b = bucket_of(m->addr);
  m->next = registry[b];
  registry[b] = m;
  pthread_mutex_unlock(&registry_lock);
}

/* Removes and returns the live mapping at addr of the given kind, or NULL. */
static mapping *registry_take(void *addr, shmkit_map_kind kind) {
  pthread_mutex_lock(&registry_lock);
  mapping **p = &registry[bucket_of(addr)];
  mapping *found = NULL;
  for (; *p != NULL; p = &(*p)->next) {
    if ((*p)->addr == addr && (*p)->kind == kind) {
      found = *p;
      *p = found->next;
      found->next = NULL;
      break;
    }
  }
  pthread_mutex_unlock(&registry_lock);
  return found;
}

static int release_memory(void *addr, size_t map_length, shmkit_map_kind kind) {
  int rc = kind == SHMKIT_MAP_MMAP ? munmap(addr, map_length) : shmdt(addr);
  return rc == 0 ? 0 : errno;
}

/* GC finaliser: runs on the JS thread once the ArrayBuffer is gone or was detached. */
static void mapping_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  mapping *m = hint;
  if (!m->released) {
    registry_take(m->addr, m->kind);
    m->released = true;
    release_memory(m->addr, m->map_length, m->kind);
  }
  free(m);
}

napi_value shmkit_mapping_wrap(napi_env env, void *addr, size_t length, size_t map_length, shmkit_map_kind kind,
                               const char *what) {
  /* Checked before creation: when V8 refuses the size it frees the backing store, which would
     run our finaliser and release the mapping behind our back. */
  if ((uint64_t)length > SHMKIT_MAX_ARRAYBUFFER) {
    release_memory(addr, map_length, kind);
    return shmkit_throw_range(env, "the mapping is too large for an ArrayBuffer (Node 20 allows up to 4 GiB)");
  }
  mapping *m = calloc(1, sizeof *m);
  if (m == NULL) {
    release_memory(addr, map_length, kind);
    return shmkit_throw_sys(env, what, ENOMEM);
  }
  m->addr = addr;
  m->map_length = map_length;
  m->kind = kind;
  registry_add(m);
  napi_value ab;
  napi_status status = napi_create_external_arraybuffer(env, addr, length, mapping_finalize, m, &ab);
  if (status != napi_ok) {
    /* The finaliser is not registered when creation fails. */
    registry_take(addr, kind);
    release_memory(addr, map_length, kind);
    free(m);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
    }
    return shmkit_throw_range(env, "the mapping is too large for an ArrayBuffer (Node 20 allows up to 4 GiB)");
  }
  return ab;
}

int shmkit_mapping_release(napi_env env, napi_value arraybuffer, shmkit_map_kind kind, const char *syscall_name) {
  bool is_ab = false;
  if (napi_is_arraybuffer(env, arraybuffer, &is_ab) != napi_ok || !is_ab) {
    shmkit_throw_type(env, "expected an ArrayBuffer");
    return -1;
  }
  void *data = NULL;
  size_t length = 0;
  if (napi_get_arraybuffer_info(env, arraybuffer, &data, &length) != napi_ok) {
    shmkit_throw_last_napi_error(env, "napi_get_arraybuffer_info");
    return -1;
  }
  if (data == NULL) return 0; /* already detached: released earlier */
  mapping *m = registry_take(data, kind);
  if (m == NULL) {
    shmkit_throw_type(env, kind == SHMKIT_MAP_MMAP ? "not an ArrayBuffer returned by mmap()"
                                                   : "not an ArrayBuffer returned by shmat()");
    return -1;
  }
  /* Mark released before detaching: once detached, the finaliser may run (and free m) at any later
     point on this thread, so m is not touched after the detach. */
  void *addr = m->addr;
  size_t map_length = m->map_length;
  m->released = true;
  if (napi_detach_arraybuffer(env, arraybuffer) != napi_ok) {
    m->released = false;
    registry_add(m);
    shmkit_throw_last_napi_error(env, "napi_detach_arraybuffer");
    return -1;
  }
  int err = release_memory(addr, map_length, kind);
  if (err != 0) {
    shmkit_throw_sys(env, syscall_name, err);
    return -1;
  }
  return 1;
}

bool shmkit_arg_range(napi_env env, napi_value arraybuffer, napi_value offset, napi_value length, char **addr,
                      size_t *len) {
  bool is_ab = false;
  if (napi_is_arraybuffer(env, arraybuffer, &is_ab) != napi_ok || !is_ab) {
    shmkit_throw_type(env, "expected an ArrayBuffer");
    return false;
  }
  void *data = NULL;
  size_t size = 0;
  if (napi_get_arraybuffer_info(env, arraybuffer, &data, &size) != napi_ok) {
    shmkit_throw_last_napi_error(env, "napi_get_arraybuffer_info");
    return false;
  }
  if (data == NULL) {
    napi_throw_error(env, "ERR_SHMKIT_DETACHED", "the ArrayBuffer is detached (its memory was unmapped)");
    return false;
  }
  int64_t off, n;
  if (!shmkit_arg_int64(env, offset, "offset", &off) || !shmkit_arg_int64(env, length, "length", &n)) return false;
  if (off < 0 || n < 0 || (uint64_t)off > size || (uint64_t)n > size - (uint64_t)off) {
    shmkit_throw_range(env, "offset/length lie outside the buffer");
    return false;
  }
  *addr = (char *)data + off;
  *len = (size_t)n;
  return true;
}
