/* Module registration and constants of the @shmkit/sys addon. */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "common.h"

static napi_value make_constants(napi_env env) {
  const struct {
    const char *name;
    double value;
  } table[] = {
      {"PAGE_SIZE", (double)sysconf(_SC_PAGESIZE)},
      {"PROT_NONE", PROT_NONE},
      {"PROT_READ", PROT_READ},
      {"PROT_WRITE", PROT_WRITE},
      {"MAP_SHARED", MAP_SHARED},
      {"MAP_PRIVATE", MAP_PRIVATE},
      {"MS_ASYNC", MS_ASYNC},
      {"MS_SYNC", MS_SYNC},
      {"MS_INVALIDATE", MS_INVALIDATE},
      {"MADV_NORMAL", MADV_NORMAL},
      {"MADV_RANDOM", MADV_RANDOM},
      {"MADV_SEQUENTIAL", MADV_SEQUENTIAL},
      {"MADV_WILLNEED", MADV_WILLNEED},
      {"MADV_DONTNEED", MADV_DONTNEED},
      {"IPC_PRIVATE", IPC_PRIVATE},
      {"IPC_CREAT", IPC_CREAT},
      {"IPC_EXCL", IPC_EXCL},
      {"SHM_RDONLY", SHM_RDONLY},
  };
  napi_value c;
  NAPI_TRY(env, napi_create_object(env, &c));
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (!shmkit_set_number(env, c, table[i].name, table[i].value)) {
      shmkit_throw_last_napi_error(env, "constants");
      return NULL;
    }
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
