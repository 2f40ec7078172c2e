/*
 * Async waits run on a dedicated thread each (never the libuv pool, which a few long waits would
 * exhaust). The result comes back through a threadsafe function, which also keeps the event loop
 * alive while the wait is pending. cancel() sets a private futex word and wakes it; the waiting
 * thread watches that word (FUTEX_WAITV for futex waits; fcntl lock waits block in F_SETLKW and are
 * interrupted by a signal, see lock_interrupt.c), so a cancel can never be missed and takes effect
 * at once.
 *
 * Lifetime: the record is shared by the JS handle (an external) and the threadsafe function; it is
 * freed when both are done. The threadsafe function's finaliser joins the thread, so the thread
 * never touches freed memory, even when the environment is torn down while it waits.
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

int64_t shmkit_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

bool shmkit_wait_cancelled(shmkit_async_wait *w) {
  return w != NULL && __atomic_load_n(&w->cancel_word, __ATOMIC_ACQUIRE) != 0;
}

void shmkit_wait_pause(shmkit_async_wait *w, int64_t ns) {
  if (ns <= 0) return;
  struct timespec ts = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};
  if (w == NULL) {
    nanosleep(&ts, NULL);
    return;
  }
  syscall(SYS_futex, &w->cancel_word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
}

shmkit_async_wait *shmkit_wait_new(void) {
  shmkit_async_wait *w = calloc(1, sizeof *w);
  if (w == NULL) return NULL;
  if (pthread_mutex_init(&w->interrupt_lock, NULL) != 0) {
    free(w);
    return NULL;
  }
  w->refs = 2;
  return w;
}

static void wait_free(shmkit_async_wait *w) {
  pthread_mutex_destroy(&w->interrupt_lock);
  free(w);
}

static void wait_unref(shmkit_async_wait *w) {
  if (--w->refs == 0) wait_free(w);
}

static void request_cancel(shmkit_async_wait *w) {
  __atomic_store_n(&w->cancel_word, 1, __ATOMIC_SEQ_CST);
  syscall(SYS_futex, &w->cancel_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  /* A thread blocked in F_SETLKW sees neither the word nor the futex wake: signal it. */
  shmkit_interrupt_kick(w);
}

static void *thread_main(void *arg) {
  shmkit_async_wait *w = arg;
  w->run(w);
  /* napi_closing means the environment is going away: nobody is left to receive the result. */
  napi_call_threadsafe_function(w->tsfn, w, napi_tsfn_blocking);
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_release);
  return NULL;
}

/* On the JS thread: settle the promise. */
static void deliver(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)js_cb;
  (void)context;
  shmkit_async_wait *w = data;
  if (env == NULL || w->settled) return;
  w->settled = true;
  if (w->keep_alive != NULL) {
    napi_delete_reference(env, w->keep_alive);
    w->keep_alive = NULL;
  }
  napi_value value;
  if (w->error != 0) {
    value = shmkit_make_sys_error(env, w->syscall_name, w->error);
    if (value != NULL) napi_reject_deferred(env, w->deferred, value);
  } else if (napi_create_string_utf8(env, w->result, NAPI_AUTO_LENGTH, &value) == napi_ok) {
    napi_resolve_deferred(env, w->deferred, value);
  }
}

static void tsfn_finalize(napi_env env, void *finalize_data, void *hint) {
  (void)hint;
  shmkit_async_wait *w = finalize_data;
  if (w->thread_started) {
    /* Normally the thread has already delivered and is returning. During teardown it may still
       be waiting: cancel it so the join is prompt. */
    request_cancel(w);
    pthread_join(w->thread, NULL);
  }
  w->finished = true;
  if (w->keep_alive != NULL && env != NULL) napi_delete_reference(env, w->keep_alive);
  w->keep_alive = NULL;
  wait_unref(w);
}

static void handle_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  wait_unref(data);
}

napi_value shmkit_wait_start(napi_env env, shmkit_async_wait *w, napi_value keep, const char *name) {
  napi_value promise, handle, resource_name, pair;
  if (napi_create_promise(env, &w->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name) != napi_ok) {
    wait_free(w);
    shmkit_throw_last_napi_error(env, "napi_create_promise");
    return NULL;
  }
  if (keep != NULL && napi_create_reference(env, keep, 1, &w->keep_alive) != napi_ok) {
    wait_free(w);
    shmkit_throw_last_napi_error(env, "napi_create_reference");
    return NULL;
  }
  if (napi_create_threadsafe_function(env, NULL, NULL, resource_name, 0, 1, w, tsfn_finalize, NULL, deliver,
                                      &w->tsfn) != napi_ok) {
    if (w->keep_alive != NULL) napi_delete_reference(env, w->keep_alive);
    wait_free(w);
    shmkit_throw_last_napi_error(env, "napi_create_threadsafe_function");
    return NULL;
  }
  /* From here on the threadsafe function's finaliser owns one reference. */
  if (napi_create_external(env, w, handle_finalize, NULL, &handle) != napi_ok) {
    w->refs = 1;
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    shmkit_throw_last_napi_error(env, "napi_create_external");
    return NULL;
  }
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  /* The thread must not take the process's signals (Node handles them on its own threads). */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int err = pthread_create(&w->thread, &attr, thread_main, w);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    return shmkit_throw_sys(env, "pthread_create", err);
  }
  w->thread_started = true;
  if (napi_create_array_with_length(env, 2, &pair) != napi_ok || napi_set_element(env, pair, 0, promise) != napi_ok ||
      napi_set_element(env, pair, 1, handle) != napi_ok) {
    shmkit_throw_last_napi_error(env, "napi_set_element");
    return NULL;
  }
  return pair;
}

/* cancelWait(handle): harmless after the wait ended. */
napi_value shmkit_cancel_wait(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 1);
  shmkit_async_wait *w = NULL;
  if (argc < 1 || napi_get_value_external(env, argv[0], (void **)&w) != napi_ok || w == NULL)
    return shmkit_throw_type(env, "cancelWait expects a wait handle");
  if (!w->finished && !w->settled) request_cancel(w);
  return NULL;
}
