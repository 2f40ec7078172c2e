{
  "targets": [
    {
      "target_name": "shmkit_sys",
      "sources": [
        "native/addon.c",
        "native/async_wait.c",
        "native/errors.c",
        "native/fcntl.c",
        "native/futex.c",
        "native/lock_interrupt.c",
        "native/mapping.c",
        "native/mmap.c",
        "native/sysv.c"
      ],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE", "_FILE_OFFSET_BITS=64"],
      "cflags_c": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags": ["-pthread"],
      "ldflags": ["-pthread"],
      "libraries": ["-lrt", "-ldl"]
    }
  ]
}
