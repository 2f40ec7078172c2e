/* System V shared memory: shmget, shmat, shmdt, shmctl (IPC_STAT / IPC_SET / IPC_RMID), ftok. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "common.h"

napi_value shmkit_shmget(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 3);
  if (argc < 3) return shmkit_throw_type(env, "shmget(key, size, flags) takes 3 arguments");
  int32_t key, flags;
  int64_t size;
  if (!shmkit_arg_int32(env, argv[0], "key", &key) || !shmkit_arg_int64(env, argv[1], "size", &size) ||
      !shmkit_arg_int32(env, argv[2], "flags", &flags))
    return NULL;
  if (size < 0) return shmkit_throw_range(env, "size must not be negative");
  int id = shmget((key_t)key, (size_t)size, flags);
  if (id < 0) return shmkit_throw_sys(env, "shmget", errno);
  napi_value result;
  NAPI_TRY(env, napi_create_int32(env, id, &result));
  return result;
}

/* shmat(id, readonly) -> ArrayBuffer of shm_segsz bytes (the requested size, not page-rounded). */
napi_value shmkit_shmat(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 2);
  if (argc < 2) return shmkit_throw_type(env, "shmat(id, readonly) takes 2 arguments");
  int32_t id;
  bool readonly;
  if (!shmkit_arg_int32(env, argv[0], "id", &id) || !shmkit_arg_bool(env, argv[1], "readonly", &readonly))
    return NULL;
  void *addr = shmat(id, NULL, readonly ? SHM_RDONLY : 0);
  if (addr == (void *)-1) return shmkit_throw_sys(env, "shmat", errno);
  /* The size is read after attaching: the attachment pins the segment, so it cannot be removed
     and replaced in between. Attaching implies read permission, which IPC_STAT needs too. */
  struct shmid_ds ds;
  if (shmctl(id, IPC_STAT, &ds) != 0) {
    int err = errno;
    shmdt(addr);
    return shmkit_throw_sys(env, "shmctl", err);
  }
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t mapped = (ds.shm_segsz + page - 1) / page * page;
  return shmkit_mapping_wrap(env, addr, ds.shm_segsz, mapped, SHMKIT_MAP_SHM, "shmat");
}

napi_value shmkit_shmdt(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 1);
  if (argc < 1) return shmkit_throw_type(env, "shmdt(buffer) takes 1 argument");
  int r = shmkit_mapping_release(env, argv[0], SHMKIT_MAP_SHM, "shmdt");
  if (r < 0) return NULL;
  napi_value result;
  NAPI_TRY(env, napi_get_boolean(env, r == 1, &result));
  return result;
}

napi_value shmkit_shmctl_stat(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 1);
  if (argc < 1) return shmkit_throw_type(env, "shmctlStat(id) takes 1 argument");
  int32_t id;
  if (!shmkit_arg_int32(env, argv[0], "id", &id)) return NULL;
  struct shmid_ds ds;
  if (shmctl(id, IPC_STAT, &ds) != 0) return shmkit_throw_sys(env, "shmctl", errno);
  napi_value obj;
  NAPI_TRY(env, napi_create_object(env, &obj));
  bool ok = shmkit_set_number(env, obj, "key", (double)ds.shm_perm.__key) &&
            shmkit_set_number(env, obj, "uid", (double)ds.shm_perm.uid) &&
            shmkit_set_number(env, obj, "gid", (double)ds.shm_perm.gid) &&
            shmkit_set_number(env, obj, "cuid", (double)ds.shm_perm.cuid) &&
            shmkit_set_number(env, obj, "cgid", (double)ds.shm_perm.cgid) &&
            shmkit_set_number(env, obj, "mode", (double)ds.shm_perm.mode) &&
            shmkit_set_number(env, obj, "size", (double)ds.shm_segsz) && shmkit_set_number(env, obj, "atime", (double)ds.shm_atime) &&
            shmkit_set_number(env, obj, "dtime", (double)ds.shm_dtime) && shmkit_set_number(env, obj, "ctime", (double)ds.shm_ctime) &&
            shmkit_set_number(env, obj, "cpid", (double)ds.shm_cpid) && shmkit_set_number(env, obj, "lpid", (double)ds.shm_lpid) &&
            shmkit_set_number(env, obj, "nattch", (double)ds.shm_nattch);
  if (!ok) {
    shmkit_throw_last_napi_error(env, "napi_set_named_property");
    return NULL;
  }
  return obj;
}

static bool optional_uint32(napi_env env, napi_value obj, const char *name, bool *present, uint32_t *out) {
  bool has = false;
  *present = false;
  if (napi_has_named_property(env, obj, name, &has) != napi_ok) return false;
  if (!has) return true;
  napi_value v;
  napi_valuetype t;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_undefined) return true;
  int64_t x;
  if (!shmkit_arg_int64(env, v, name, &x)) return false;
  if (x < 0 || x > UINT32_MAX) {
    shmkit_throw_range(env, "uid, gid and mode must be unsigned 32-bit integers");
    return false;
  }
  *present = true;
  *out = (uint32_t)x;
  return true;
}

/* shmctlSet(id, { uid?, gid?, mode? }): IPC_STAT, change the given fields, IPC_SET. */
napi_value shmkit_shmctl_set(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 2);
  if (argc < 2) return shmkit_throw_type(env, "shmctlSet(id, change) takes 2 arguments");
  int32_t id;
  if (!shmkit_arg_int32(env, argv[0], "id", &id)) return NULL;
  napi_valuetype t;
  NAPI_TRY(env, napi_typeof(env, argv[1], &t));
  if (t != napi_object) return shmkit_throw_type(env, "change must be an object");
  bool has_uid, has_gid, has_mode;
  uint32_t uid = 0, gid = 0, mode = 0;
  if (!optional_uint32(env, argv[1], "uid", &has_uid, &uid) || !optional_uint32(env, argv[1], "gid", &has_gid, &gid) ||
      !optional_uint32(env, argv[1], "mode", &has_mode, &mode)) {
    shmkit_throw_last_napi_error(env, "reading change");
    return NULL;
  }
  struct shmid_ds ds;
  if (shmctl(id, IPC_STAT, &ds) != 0) return shmkit_throw_sys(env, "shmctl", errno);
  if (has_uid) ds.shm_perm.uid = uid;
  if (has_gid) ds.shm_perm.gid = gid;
  if (has_mode) ds.shm_perm.mode = (ds.shm_perm.mode & ~0777u) | (mode & 0777u);
  if (shmctl(id, IPC_SET, &ds) != 0) return shmkit_throw_sys(env, "shmctl", errno);
  return NULL;
}

napi_value shmkit_shmctl_remove(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 1);
  if (argc < 1) return shmkit_throw_type(env, "shmctlRemove(id) takes 1 argument");
  int32_t id;
  if (!shmkit_arg_int32(env, argv[0], "id", &id)) return NULL;
  if (shmctl(id, IPC_RMID, NULL) != 0) return shmkit_throw_sys(env, "shmctl", errno);
  return NULL;
}

napi_value shmkit_ftok(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 2);
  if (argc < 2) return shmkit_throw_type(env, "ftok(path, projId) takes 2 arguments");
  char path[4097];
  size_t len = 0;
  if (napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok)
    return shmkit_throw_type(env, "path must be a string");
  if (len >= sizeof path - 1) return shmkit_throw_sys(env, "ftok", ENAMETOOLONG);
  if (strlen(path) != len) return shmkit_throw_type(env, "path must not contain NUL bytes");
  int32_t proj;
  if (!shmkit_arg_int32(env, argv[1], "projId", &proj)) return NULL;
  errno = 0;
  key_t key = ftok(path, proj);
  if (key == (key_t)-1) return shmkit_throw_sys(env, "ftok", errno != 0 ? errno : EINVAL);
  napi_value result;
  NAPI_TRY(env, napi_create_int32(env, key, &result));
  return result;
}
