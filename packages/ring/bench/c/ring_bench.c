// Reference measurements in C11 for the @shmkit/ring benchmark, run in the same bench run as the
// JavaScript rings so that ratios compare like with like.
//
//   ring_bench spsc <single|burst32|seqcst> <seconds> <capacity> <cpuA> <cpuB>
//       SPSC ring of 8-byte elements over a MAP_SHARED /dev/shm file, producer in this process,
//       consumer in a separately spawned copy of this executable. Each side caches the other's
//       position and re-reads it only when the ring looks full / empty. 'single' publishes each
//       element with a release store, 'burst32' publishes 32 at a time, 'seqcst' uses sequentially
//       consistent stores and loads everywhere (what JavaScript Atomics give). Prints "rate <items/s>".
//   ring_bench rt <spin|futex> <rounds> <cpuA> <cpuB>
//       Round trips of one 8-byte element over two such rings. 'spin' busy-polls; 'futex' parks on a
//       futex whenever the ring is empty (and the other side wakes it only when it is parked).
//       Prints "p50 <ns> p99 <ns> mean <ns>".
// A cpu argument of -1 leaves placement to the scheduler.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define LINE 64

struct ring {
  _Alignas(128) _Atomic uint32_t head; // producer position
  char pad1[128 - sizeof(uint32_t)];
  _Alignas(128) _Atomic uint32_t tail; // consumer position
  char pad2[128 - sizeof(uint32_t)];
  _Alignas(128) _Atomic uint32_t data_wanted; // consumer parked
  _Atomic uint32_t data_event;
  char pad3[128 - 2 * sizeof(uint32_t)];
  uint32_t capacity;
  uint32_t mask;
  _Alignas(LINE) uint64_t slots[];
};

struct control {
  _Atomic uint32_t ready;
  _Atomic uint32_t go;
  _Atomic uint32_t stop;
  _Atomic uint64_t consumed;
  double seconds;
};

static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void pin(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

static void futex_wait(_Atomic uint32_t *word, uint32_t expected) {
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, expected, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word) {
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
}

static size_t ring_bytes(uint32_t capacity) { return sizeof(struct ring) + (size_t)capacity * 8; }

static void *map_file(const char *path, size_t bytes, int create) {
  int fd = open(path, create ? (O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW) : (O_RDWR | O_NOFOLLOW), 0600);
  if (fd < 0) { perror("open"); exit(1); }
  if (create && ftruncate(fd, (off_t)bytes) != 0) { perror("ftruncate"); exit(1); }
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) { perror("mmap"); exit(1); }
  close(fd);
  return p;
}

// ---- ring operations -------------------------------------------------------------------------

struct side { struct ring *r; uint32_t pos; uint32_t other; };

static inline int push(struct side *s, uint64_t v, memory_order pub, memory_order acq) {
  if (s->pos - s->other >= s->r->capacity) {
    s->other = atomic_load_explicit(&s->r->tail, acq);
    if (s->pos - s->other >= s->r->capacity) return 0;
  }
  s->r->slots[s->pos & s->r->mask] = v;
  s->pos++;
  atomic_store_explicit(&s->r->head, s->pos, pub);
  return 1;
}

static inline int pop(struct side *s, uint64_t *v, memory_order pub, memory_order acq) {
  if (s->pos == s->other) {
    s->other = atomic_load_explicit(&s->r->head, acq);
    if (s->pos == s->other) return 0;
  }
  *v = s->r->slots[s->pos & s->r->mask];
  s->pos++;
  atomic_store_explicit(&s->r->tail, s->pos, pub);
  return 1;
}

static inline uint32_t push_burst(struct side *s, const uint64_t *v, uint32_t n) {
  uint32_t free = s->r->capacity - (s->pos - s->other);
  if (free < n) {
    s->other = atomic_load_explicit(&s->r->tail, memory_order_acquire);
    free = s->r->capacity - (s->pos - s->other);
    if (free < n) return 0;
  }
  for (uint32_t i = 0; i < n; i++) s->r->slots[(s->pos + i) & s->r->mask] = v[i];
  s->pos += n;
  atomic_store_explicit(&s->r->head, s->pos, memory_order_release);
  return n;
}

static inline uint32_t pop_burst(struct side *s, uint64_t *v, uint32_t n) {
  uint32_t ready = s->other - s->pos;
  if (ready == 0) {
    s->other = atomic_load_explicit(&s->r->head, memory_order_acquire);
    ready = s->other - s->pos;
    if (ready == 0) return 0;
  }
  if (ready < n) n = ready;
  for (uint32_t i = 0; i < n; i++) v[i] = s->r->slots[(s->pos + i) & s->r->mask];
  s->pos += n;
  atomic_store_explicit(&s->r->tail, s->pos, memory_order_release);
  return n;
}

// ---- throughput ----------------------------------------------------------------------------

static int throughput_consumer(const char *path, const char *variant, uint32_t capacity, int cpu) {
  pin(cpu);
  size_t bytes = LINE * 4 + ring_bytes(capacity);
  char *base = map_file(path, bytes, 0);
  struct control *c = (struct control *)base;
  struct ring *r = (struct ring *)(base + LINE * 4);
  struct side s = {r, 0, 0};
  memory_order pub = strcmp(variant, "seqcst") == 0 ? memory_order_seq_cst : memory_order_release;
  memory_order acq = strcmp(variant, "seqcst") == 0 ? memory_order_seq_cst : memory_order_acquire;
  int burst = strcmp(variant, "burst32") == 0;
  atomic_fetch_add(&c->ready, 1);
  while (!atomic_load(&c->go)) {}
  uint64_t expected = 0, count = 0, errors = 0, v, buf[32];
  double t0 = now_sec();
  for (;;) {
    if (burst) {
      uint32_t n = pop_burst(&s, buf, 32);
      if (n == 0) { if (atomic_load_explicit(&c->stop, memory_order_relaxed)) break; continue; }
      for (uint32_t i = 0; i < n; i++) { if (buf[i] != expected) errors++; expected = buf[i] + 1; }
      count += n;
    } else {
      if (!pop(&s, &v, pub, acq)) { if (atomic_load_explicit(&c->stop, memory_order_relaxed)) break; continue; }
      if (v != expected) errors++;
      expected = v + 1;
      count++;
    }
  }
  c->seconds = now_sec() - t0;
  atomic_store(&c->consumed, count);
  return errors != 0;
}

static int spawn_self(pid_t *pid, char **args) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n < 0) { perror("readlink"); return -1; }
  self[n] = 0;
  args[0] = self;
  return posix_spawn(pid, self, NULL, NULL, args, environ);
}

static int throughput(const char *variant, double seconds, uint32_t capacity, int cpuA, int cpuB) {
  char path[256];
  snprintf(path, sizeof path, "/dev/shm/shmkit-ring-cbench-%d", getpid());
  size_t bytes = LINE * 4 + ring_bytes(capacity);
  char *base = map_file(path, bytes, 1);
  struct control *c = (struct control *)base;
  struct ring *r = (struct ring *)(base + LINE * 4);
  r->capacity = capacity;
  r->mask = capacity - 1;
  char cap[32], cpu[32];
  snprintf(cap, sizeof cap, "%u", capacity);
  snprintf(cpu, sizeof cpu, "%d", cpuB);
  char *args[] = {NULL, "consumer", path, (char *)variant, cap, cpu, NULL};
  pid_t child;
  if (spawn_self(&child, args) != 0) { unlink(path); return 1; }
  pin(cpuA);
  struct side s = {r, 0, 0};
  memory_order pub = strcmp(variant, "seqcst") == 0 ? memory_order_seq_cst : memory_order_release;
  memory_order acq = strcmp(variant, "seqcst") == 0 ? memory_order_seq_cst : memory_order_acquire;
  int burst = strcmp(variant, "burst32") == 0;
  while (atomic_load(&c->ready) < 1) {}
  atomic_store(&c->go, 1);
  double end = now_sec() + seconds;
  uint64_t next = 0, buf[32];
  for (uint64_t iter = 0;; iter++) {
    if ((iter & 1023) == 0 && now_sec() >= end) break;
    if (burst) {
      for (int i = 0; i < 32; i++) buf[i] = next + (uint64_t)i;
      if (push_burst(&s, buf, 32)) next += 32;
    } else if (push(&s, next, pub, acq)) {
      next++;
    }
  }
  atomic_store(&c->stop, 1);
  int status = 0;
  waitpid(child, &status, 0);
  unlink(path);
  printf("rate %.0f errors %d\n", (double)atomic_load(&c->consumed) / c->seconds, WEXITSTATUS(status));
  return 0;
}

// ---- round trips ---------------------------------------------------------------------------

static int wait_pop(struct side *s, uint64_t *v, int park) {
  for (;;) {
    if (pop(s, v, memory_order_release, memory_order_acquire)) return 1;
    if (!park) continue;
    uint32_t event = atomic_load(&s->r->data_event);
    atomic_store(&s->r->data_wanted, 1);
    if (pop(s, v, memory_order_release, memory_order_acquire)) return 1;
    futex_wait(&s->r->data_event, event);
  }
}

static void signal_push(struct side *s, uint64_t v, int park) {
  while (!push(s, v, memory_order_seq_cst, memory_order_acquire)) {}
  if (park && atomic_load(&s->r->data_wanted)) {
    atomic_store(&s->r->data_wanted, 0);
    atomic_fetch_add(&s->r->data_event, 1);
    futex_wake(&s->r->data_event);
  }
}

static int rt_echo(const char *path, int park, uint32_t rounds, int cpu) {
  pin(cpu);
  size_t one = ring_bytes(64);
  char *base = map_file(path, LINE * 4 + 2 * one, 0);
  struct control *c = (struct control *)base;
  struct side ping = {(struct ring *)(base + LINE * 4), 0, 0};
  struct side pong = {(struct ring *)(base + LINE * 4 + one), 0, 0};
  atomic_fetch_add(&c->ready, 1);
  uint64_t v;
  for (uint32_t i = 0; i < rounds; i++) {
    wait_pop(&ping, &v, park);
    signal_push(&pong, v, park);
  }
  return 0;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int round_trips(const char *variant, uint32_t rounds, int cpuA, int cpuB) {
  int park = strcmp(variant, "futex") == 0;
  char path[256];
  snprintf(path, sizeof path, "/dev/shm/shmkit-ring-cbench-rt-%d", getpid());
  size_t one = (ring_bytes(64) + LINE - 1) / LINE * LINE;
  char *base = map_file(path, LINE * 4 + 2 * one, 1);
  struct control *c = (struct control *)base;
  struct ring *ping_r = (struct ring *)(base + LINE * 4);
  struct ring *pong_r = (struct ring *)(base + LINE * 4 + one);
  ping_r->capacity = pong_r->capacity = 64;
  ping_r->mask = pong_r->mask = 63;
  char n[32], cpu[32];
  snprintf(n, sizeof n, "%u", rounds);
  snprintf(cpu, sizeof cpu, "%d", cpuB);
  char *args[] = {NULL, "echo", path, (char *)variant, n, cpu, NULL};
  pid_t child;
  if (spawn_self(&child, args) != 0) { unlink(path); return 1; }
  pin(cpuA);
  while (atomic_load(&c->ready) < 1) {}
  struct side ping = {ping_r, 0, 0}, pong = {pong_r, 0, 0};
  uint64_t *samples = malloc(sizeof(uint64_t) * rounds);
  uint64_t v, total = 0;
  uint32_t warm = rounds / 10;
  for (uint32_t i = 0; i < rounds; i++) {
    uint64_t t0 = now_ns();
    signal_push(&ping, i, park);
    wait_pop(&pong, &v, park);
    uint64_t dt = now_ns() - t0;
    samples[i] = dt;
    if (i >= warm) total += dt;
  }
  waitpid(child, NULL, 0);
  unlink(path);
  qsort(samples + warm, rounds - warm, sizeof(uint64_t), cmp_u64);
  uint32_t m = rounds - warm;
  printf("p50 %llu p99 %llu mean %.0f\n", (unsigned long long)samples[warm + m / 2],
         (unsigned long long)samples[warm + (uint32_t)(m * 0.99)], (double)total / m);
  free(samples);
  return 0;
}

int main(int argc, char **argv) {
  alarm(120); // never outlive a stuck peer
  if (argc >= 6 && strcmp(argv[1], "consumer") == 0)
    return throughput_consumer(argv[2], argv[3], (uint32_t)atoi(argv[4]), atoi(argv[5]));
  if (argc >= 6 && strcmp(argv[1], "echo") == 0)
    return rt_echo(argv[2], strcmp(argv[3], "futex") == 0, (uint32_t)atoi(argv[4]), atoi(argv[5]));
  if (argc >= 7 && strcmp(argv[1], "spsc") == 0)
    return throughput(argv[2], atof(argv[3]), (uint32_t)atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
  if (argc >= 6 && strcmp(argv[1], "rt") == 0)
    return round_trips(argv[2], (uint32_t)atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
  fprintf(stderr, "usage: see the comment at the top of ring_bench.c\n");
  return 2;
}
