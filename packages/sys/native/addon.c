/* Module registration and constants of the @shmkit/sys addon. */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "common.h"

static bool set_int(napi_env env, napi_value obj, const char *name, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok && napi_set_named_property(env, obj, name, v) == napi_ok;
}

static napi_value make_constants(napi_env env) {
  napi_value c;
  NAPI_TRY(env, napi_create_object(env, &c));
  bool ok = set_int(env, c, "PAGE_SIZE", (double)sysconf(_SC_PAGESIZE)) && set_int(env, c, "PROT_NONE", PROT_NONE) &&
            set_int(env, c, "PROT_READ", PROT_READ) && set_int(env, c, "PROT_WRITE", PROT_WRITE) &&
            set_int(env, c, "MAP_SHARED", MAP_SHARED) && set_int(env, c, "MAP_PRIVATE", MAP_PRIVATE) &&
            set_int(env, c, "MS_ASYNC", MS_ASYNC) && set_int(env, c, "MS_SYNC", MS_SYNC) &&
            set_int(env, c, "MS_INVALIDATE", MS_INVALIDATE) && set_int(env, c, "MADV_NORMAL", MADV_NORMAL) &&
            set_int(env, c, "MADV_RANDOM", MADV_RANDOM) && set_int(env, c, "MADV_SEQUENTIAL", MADV_SEQUENTIAL) &&
            set_int(env, c, "MADV_WILLNEED", MADV_WILLNEED) && set_int(env, c, "MADV_DONTNEED", MADV_DONTNEED) &&
            set_int(env, c, "IPC_PRIVATE", IPC_PRIVATE) && set_int(env, c, "IPC_CREAT", IPC_CREAT) &&
            set_int(env, c, "IPC_EXCL", IPC_EXCL) && set_int(env, c, "SHM_RDONLY", SHM_RDONLY);
  if (!ok) {
    shmkit_throw_last_napi_error(env, "constants");
    return NULL;
  }
  return c;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor fns[] = {
      {"setErrorClass", NULL, shmkit_set_error_class, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mmap", NULL, shmkit_mmap, NULL, NULL, NULL, napi_enumerable, NULL},
      {"munmap", NULL, shmkit_munmap, NULL, NULL, NULL, napi_enumerable, NULL},
      {"msync", NULL, shmkit_msync, NULL, NULL, NULL, napi_enumerable, NULL},
      {"madvise", NULL, shmkit_madvise, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmget", NULL, shmkit_shmget, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmat", NULL, shmkit_shmat, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmdt", NULL, shmkit_shmdt, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmctlStat", NULL, shmkit_shmctl_stat, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmctlSet", NULL, shmkit_shmctl_set, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmctlRemove", NULL, shmkit_shmctl_remove, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ftok", NULL, shmkit_ftok, NULL, NULL, NULL, napi_enumerable, NULL},
      {"futexWait", NULL, shmkit_futex_wait, NULL, NULL, NULL, napi_enumerable, NULL},
      {"futexWake", NULL, shmkit_futex_wake, NULL, NULL, NULL, napi_enumerable, NULL},
      {"futexWaitAsync", NULL, shmkit_futex_wait_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fcntlLock", NULL, shmkit_fcntl_lock, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fcntlGetLock", NULL, shmkit_fcntl_get_lock, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fcntlLockAsync", NULL, shmkit_fcntl_lock_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"cancelWait", NULL, shmkit_cancel_wait, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  NAPI_TRY(env, napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns));
  napi_value constants = make_constants(env);
  if (constants == NULL) return NULL;
  NAPI_TRY(env, napi_set_named_property(env, exports, "constants", constants));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
