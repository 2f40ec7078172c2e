/*
 * Interrupting a thread blocked in F_SETLKW / F_OFD_SETLKW, for cancel() and for the timeout of
 * fcntlLockAsync. A blocked record-lock request cannot be woken from outside except by a signal, so:
 *
 * - One real-time signal, SIGRTMIN + 6, gets an empty handler, installed once per process with
 *   sigaction and WITHOUT SA_RESTART, so a blocked fcntl returns EINTR when it arrives. Only a lock
 *   waiter thread unblocks it (every async-wait thread starts with all signals blocked), and it is
 *   only ever sent to such a thread (never to the JavaScript thread).
 * - Each blocking wait has a POSIX timer (CLOCK_MONOTONIC, SIGEV_THREAD_ID: delivered to the waiter
 *   thread only). With a timeout it is armed for the deadline; cancel() re-arms it to fire at once.
 *   Either way it then keeps firing every millisecond until the thread is done.
 *
 * Race: the thread checks the cancel word and the deadline, then enters fcntl. A signal landing in
 * between runs the empty handler and is gone; the fcntl would then block for good. The repeating
 * timer closes that window: the next signal comes a millisecond later and finds the thread inside
 * fcntl. The timer is published (under interrupt_lock) BEFORE the thread's first check of the
 * cancel word, and cancel() sets the word BEFORE looking for the timer, so either the thread sees
 * the word or cancel() finds the timer.
 *
 * If the signal is already owned by someone else (a handler that is not an instance of this one),
 * or no timer can be created (RLIMIT_SIGPENDING), begin() returns false and the wait polls instead.
 */
#include <dlfcn.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* How often the timer repeats once it has fired, until the thread notices. */
#define RESEND_NS 1000000LL

int shmkit_interrupt_signal(void) { return SIGRTMIN + 6; }

/* Its only job is to exist: a caught signal makes the blocked fcntl return EINTR. */
static void on_interrupt(int sig) { (void)sig; }

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static bool handler_ready;

/* True when `handler` is this function in another copy of this addon (two versions of the package
   loaded in one process): it is just as empty and was installed just as carefully. */
static bool is_same_handler(void *handler) {
  if (handler == (void *)on_interrupt) return true;
  /* The addon installs no other handler, so any handler inside a file of this name is this one. */
  Dl_info info;
  if (dladdr(handler, &info) == 0 || info.dli_fname == NULL) return false;
  const char *slash = strrchr(info.dli_fname, '/');
  const char *file = slash != NULL ? slash + 1 : info.dli_fname;
  return strcmp(file, "shmkit_sys.node") == 0;
}

static void install_handler(void) {
  int sig = shmkit_interrupt_signal();
  struct sigaction old;
  if (sigaction(sig, NULL, &old) != 0) return;
  if ((old.sa_flags & SA_SIGINFO) == 0 && old.sa_handler == SIG_DFL) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: the interrupted fcntl must return EINTR */
    handler_ready = sigaction(sig, &sa, NULL) == 0;
    return;
  }
  void *current = (old.sa_flags & SA_SIGINFO) != 0 ? (void *)old.sa_sigaction : (void *)old.sa_handler;
  handler_ready = (old.sa_flags & SA_RESTART) == 0 && is_same_handler(current);
}

static struct timespec to_timespec(int64_t ns) {
  struct timespec ts = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};
  return ts;
}

static void set_signal_blocked(bool blocked) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, shmkit_interrupt_signal());
  pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

bool shmkit_interrupt_begin(shmkit_async_wait *w) {
  pthread_once(&install_once, install_handler);
  if (!handler_ready) return false;
  struct sigevent event;
  memset(&event, 0, sizeof event);
  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = shmkit_interrupt_signal();
  event.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
  timer_t timer;
  if (timer_create(CLOCK_MONOTONIC, &event, &timer) != 0) return false;
  if (w->has_deadline) {
    struct itimerspec at = {.it_value = to_timespec(w->deadline_ns), .it_interval = to_timespec(RESEND_NS)};
    if (timer_settime(timer, TIMER_ABSTIME, &at, NULL) != 0) {
      timer_delete(timer);
      return false;
    }
  }
  set_signal_blocked(false);
  pthread_mutex_lock(&w->interrupt_lock);
  w->interrupt_timer = timer;
  w->interrupt_armed = true;
  pthread_mutex_unlock(&w->interrupt_lock);
  return true;
}

void shmkit_interrupt_end(shmkit_async_wait *w) {
  pthread_mutex_lock(&w->interrupt_lock);
  if (w->interrupt_armed) timer_delete(w->interrupt_timer);
  w->interrupt_armed = false;
  pthread_mutex_unlock(&w->interrupt_lock);
  /* A signal still queued from the timer stays pending (blocked) and dies with the thread. */
  set_signal_blocked(true);
}

void shmkit_interrupt_kick(shmkit_async_wait *w) {
  pthread_mutex_lock(&w->interrupt_lock);
  if (w->interrupt_armed) {
    struct itimerspec now = {.it_value = to_timespec(1), .it_interval = to_timespec(RESEND_NS)};
    timer_settime(w->interrupt_timer, 0, &now, NULL);
  }
  pthread_mutex_unlock(&w->interrupt_lock);
}
