/* SysError construction and argument helpers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* Per-environment state: the JS SysError class registered by the loader. */
typedef struct {
  napi_ref error_class;
} shmkit_instance;

static void instance_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  shmkit_instance *inst = data;
  if (inst->error_class != NULL) napi_delete_reference(env, inst->error_class);
  free(inst);
}

napi_value shmkit_set_error_class(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 1);
  napi_valuetype t;
  NAPI_TRY(env, napi_typeof(env, argv[0], &t));
  if (argc < 1 || t != napi_function) return shmkit_throw_type(env, "setErrorClass expects a constructor");
  shmkit_instance *inst = NULL;
  NAPI_TRY(env, napi_get_instance_data(env, (void **)&inst));
  if (inst == NULL) {
    inst = calloc(1, sizeof *inst);
    if (inst == NULL) return shmkit_throw_sys(env, "calloc", ENOMEM);
    if (napi_set_instance_data(env, inst, instance_finalize, NULL) != napi_ok) {
      free(inst);
      return shmkit_throw_type(env, "cannot store addon state");
    }
  }
  if (inst->error_class != NULL) napi_delete_reference(env, inst->error_class);
  inst->error_class = NULL;
  NAPI_TRY(env, napi_create_reference(env, argv[0], 1, &inst->error_class));
  return NULL;
}

#define E(name) \
  case name:    \
    return #name;
const char *shmkit_errno_name(int err) {
  switch (err) {
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN)
    E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL)
    E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE)
    E(EDOM) E(ERANGE) E(EDEADLK) E(ENAMETOOLONG) E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(EIDRM)
    E(ENODATA) E(EOVERFLOW) E(EOPNOTSUPP) E(ETIMEDOUT)
    default:
      break;
  }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char *name = strerrorname_np(err);
  if (name != NULL) return name;
#endif
  return "EUNKNOWN";
}
#undef E

napi_value shmkit_make_sys_error(napi_env env, const char *syscall_name, int err) {
  const char *code = shmkit_errno_name(err);
  char description[256];
  description[0] = '\0';
  /* GNU strerror_r returns the text (maybe not in the buffer). */
  const char *text = strerror_r(err, description, sizeof description);
  napi_value args[4];
  napi_value result = NULL;
  if (napi_create_string_utf8(env, syscall_name, NAPI_AUTO_LENGTH, &args[0]) != napi_ok) return NULL;
  if (napi_create_int32(env, err, &args[1]) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &args[2]) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &args[3]) != napi_ok) return NULL;

  shmkit_instance *inst = NULL;
  napi_get_instance_data(env, (void **)&inst);
  napi_value ctor = NULL;
  if (inst != NULL && inst->error_class != NULL) napi_get_reference_value(env, inst->error_class, &ctor);
  if (ctor != NULL && napi_new_instance(env, ctor, 4, args, &result) == napi_ok) return result;

  /* No class registered (the binding used on its own): a plain Error with the same fields. */
  char message[512];
  snprintf(message, sizeof message, "%s failed with %s: %s", syscall_name, code, text);
  napi_value msg;
  if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok) return NULL;
  if (napi_create_error(env, args[2], msg, &result) != napi_ok) return NULL;
  napi_set_named_property(env, result, "errno", args[1]);
  napi_set_named_property(env, result, "syscall", args[0]);
  return result;
}

napi_value shmkit_throw_sys(napi_env env, const char *syscall_name, int err) {
  napi_value error = shmkit_make_sys_error(env, syscall_name, err);
  if (error != NULL) napi_throw(env, error);
  return NULL;
}

napi_value shmkit_throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return NULL;
}

napi_value shmkit_throw_range(napi_env env, const char *message) {
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
  return NULL;
}

void shmkit_throw_last_napi_error(napi_env env, const char *what) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  char message[512];
  snprintf(message, sizeof message, "Node-API call failed (%s): %s", what,
           info != NULL && info->error_message != NULL ? info->error_message : "unknown error");
  napi_throw_error(env, "ERR_SHMKIT_NAPI", message);
}

bool shmkit_set_number(napi_env env, napi_value obj, const char *name, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok && napi_set_named_property(env, obj, name, v) == napi_ok;
}

bool shmkit_arg_int64(napi_env env, napi_value v, const char *name, int64_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a number", name);
    shmkit_throw_type(env, message);
    return false;
  }
  if (!isfinite(d) || d != trunc(d) || fabs(d) > 9007199254740991.0) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a safe integer", name);
    shmkit_throw_range(env, message);
    return false;
  }
  *out = (int64_t)d;
  return true;
}

bool shmkit_arg_int32(napi_env env, napi_value v, const char *name, int32_t *out) {
  int64_t x;
  if (!shmkit_arg_int64(env, v, name, &x)) return false;
  if (x < INT32_MIN || x > UINT32_MAX) {
    char message[128];
    snprintf(message, sizeof message, "%s must fit in 32 bits", name);
    shmkit_throw_range(env, message);
    return false;
  }
  *out = (int32_t)(uint32_t)x; /* unsigned 32-bit inputs wrap, as C would */
  return true;
}

bool shmkit_arg_bool(napi_env env, napi_value v, const char *name, bool *out) {
  if (napi_get_value_bool(env, v, out) != napi_ok) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a boolean", name);
    shmkit_throw_type(env, message);
    return false;
  }
  return true;
}

bool shmkit_arg_timeout(napi_env env, napi_value v, bool *has_timeout, int64_t *timeout_ns) {
  napi_valuetype t = napi_undefined;
  if (v != NULL) napi_typeof(env, v, &t);
  *has_timeout = false;
  *timeout_ns = 0;
  if (t == napi_undefined || t == napi_null) return true;
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    shmkit_throw_type(env, "timeoutMs must be a number");
    return false;
  }
  if (isnan(d) || d < 0 || isinf(d)) return true;
  /* Cap at ~292 years so the conversion to nanoseconds cannot overflow. */
  if (d > 9.2e12) return true;
  *has_timeout = true;
  *timeout_ns = (int64_t)(d * 1e6);
  return true;
}

bool shmkit_arg_futex_word(napi_env env, napi_value view, napi_value index, uint32_t **addr, napi_value *arraybuffer) {
  bool is_typed = false;
  if (napi_is_typedarray(env, view, &is_typed) != napi_ok || !is_typed) {
    shmkit_throw_type(env, "view must be an Int32Array");
    return false;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, view, &type, &length, &data, arraybuffer, NULL) != napi_ok) {
    shmkit_throw_last_napi_error(env, "napi_get_typedarray_info");
    return false;
  }
  if (type != napi_int32_array) {
    shmkit_throw_type(env, "view must be an Int32Array");
    return false;
  }
  int64_t i;
  if (!shmkit_arg_int64(env, index, "index", &i)) return false;
  if (i < 0 || (uint64_t)i >= length || data == NULL) {
    shmkit_throw_range(env, length == 0 ? "index is out of range (the view is empty: its memory was unmapped?)"
                                        : "index is out of range");
    return false;
  }
  *addr = (uint32_t *)data + i;
  return true;
}
