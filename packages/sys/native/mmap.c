/* mmap / munmap / msync / madvise over external ArrayBuffers. */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

/* mmap(fd, offset, length, prot, flags) -> ArrayBuffer */
napi_value shmkit_mmap(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 5);
  if (argc < 5) return shmkit_throw_type(env, "mmap(fd, offset, length, prot, flags) takes 5 arguments");
  int32_t fd, prot, flags;
  int64_t offset, length;
  if (!shmkit_arg_int32(env, argv[0], "fd", &fd) || !shmkit_arg_int64(env, argv[1], "offset", &offset) ||
      !shmkit_arg_int64(env, argv[2], "length", &length) || !shmkit_arg_int32(env, argv[3], "prot", &prot) ||
      !shmkit_arg_int32(env, argv[4], "flags", &flags))
    return NULL;
  if (offset < 0) return shmkit_throw_range(env, "offset must not be negative");
  if (length <= 0) return shmkit_throw_range(env, "length must be positive");
  if ((uint64_t)length > SHMKIT_MAX_ARRAYBUFFER) {
    return shmkit_throw_range(env, "length is too large for one ArrayBuffer (Node 20 allows up to 4 GiB); map a window");
  }
  void *addr = mmap(NULL, (size_t)length, prot, flags, fd, (off_t)offset);
  if (addr == MAP_FAILED) return shmkit_throw_sys(env, "mmap", errno);
  return shmkit_mapping_wrap(env, addr, (size_t)length, (size_t)length, SHMKIT_MAP_MMAP, "mmap");
}

/* munmap(buffer) -> boolean (false when already unmapped) */
napi_value shmkit_munmap(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 1);
  if (argc < 1) return shmkit_throw_type(env, "munmap(buffer) takes 1 argument");
  int r = shmkit_mapping_release(env, argv[0], SHMKIT_MAP_MMAP, "munmap");
  if (r < 0) return NULL;
  napi_value result;
  NAPI_TRY(env, napi_get_boolean(env, r == 1, &result));
  return result;
}

/* The start of a range rounded down to its page, the length extended to match. */
static void page_align(char **addr, size_t *len) {
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t start = (uintptr_t)*addr;
  uintptr_t aligned = start & ~(page - 1);
  *len += start - aligned;
  *addr = (char *)aligned;
}

/* msync(buffer, offset, length, flags): the range is widened to whole pages (syncing more is harmless). */
napi_value shmkit_msync(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 4);
  if (argc < 4) return shmkit_throw_type(env, "msync(buffer, offset, length, flags) takes 4 arguments");
  char *addr;
  size_t len;
  int32_t flags;
  if (!shmkit_arg_range(env, argv[0], argv[1], argv[2], &addr, &len) ||
      !shmkit_arg_int32(env, argv[3], "flags", &flags))
    return NULL;
  if (len == 0) return NULL;
  page_align(&addr, &len);
  if (msync(addr, len, flags) != 0) return shmkit_throw_sys(env, "msync", errno);
  return NULL;
}

/* madvise(buffer, offset, length, advice): offset must be page aligned (advice such as
   MADV_DONTNEED must not silently extend to bytes before the range). */
napi_value shmkit_madvise(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 4);
  if (argc < 4) return shmkit_throw_type(env, "madvise(buffer, offset, length, advice) takes 4 arguments");
  char *addr;
  size_t len;
  int32_t advice;
  if (!shmkit_arg_range(env, argv[0], argv[1], argv[2], &addr, &len) ||
      !shmkit_arg_int32(env, argv[3], "advice", &advice))
    return NULL;
  if (len == 0) return NULL;
  if (madvise(addr, len, advice) != 0) return shmkit_throw_sys(env, "madvise", errno);
  return NULL;
}
