/* Copyright (c) 2026 The ovs-lif authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* udp-rate: a fixed-rate UDP load for the integration tests and benchmarks.
 *
 *   udp-rate send DST PORT PPS COUNT [ID [MAX_LATE_US]]
 *       Sends COUNT numbered datagrams to DST (IPv4 or IPv6) at exactly PPS
 *       packets per second: packet N is due at start + N / PPS on
 *       CLOCK_MONOTONIC and is sent at that absolute time
 *       (clock_nanosleep(TIMER_ABSTIME)), so a late packet does not delay
 *       the later ones.  Prints one summary line; exits with status 3 if the
 *       sender fell behind its schedule by more than MAX_LATE_US
 *       microseconds (default: two periods) at any time (the load would not
 *       be what it claims), 1 on errors.
 *
 *   udp-rate recv PORT SECONDS
 *       Receives on PORT (IPv6 and IPv4) until SIGTERM/SIGINT or SECONDS
 *       pass, and prints "ready" once bound, then one line per datagram:
 *       "ID SEQ SENT_NS RECV_NS" (CLOCK_MONOTONIC, shared by every network
 *       namespace).
 *
 * A datagram carries a magic number, the sender's ID, its sequence number
 * and the time it was actually sent; the analysis (tests/integration/
 * rate.py) merges receivers and reports lost packets and the largest gap in
 * sequence numbers. */

#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RATE_MAGIC 0x4c494652u  /* "LIFR". */
#define PAYLOAD_SIZE 64

/* What every datagram starts with (network byte order). */
struct rate_hdr {
    uint32_t magic;
    uint32_t id;
    uint64_t seq;
    uint64_t sent_ns;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

static uint64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static uint64_t
hton64(uint64_t x)
{
    return ((uint64_t) htonl(x & 0xffffffffu) << 32) | htonl(x >> 32);
}

static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

static int
usage(void)
{
    fprintf(stderr, "usage: udp-rate send DST PORT PPS COUNT [ID "
            "[MAX_LATE_US]]\n"
            "       udp-rate recv PORT SECONDS\n");
    return 1;
}

static int
do_send(int argc, char *argv[])
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    uint64_t port, pps, count, id = 0, max_late_us = 0;
    int retval = 1;
    int fd = -1;

    if (argc < 4 || argc > 6
        || parse_u64(argv[1], 1, 65535, &port)
        || parse_u64(argv[2], 1, 100000, &pps)
        || parse_u64(argv[3], 1, 100000000, &count)
        || (argc >= 5 && parse_u64(argv[4], 0, UINT32_MAX, &id))
        || (argc >= 6 && parse_u64(argv[5], 1, 10000000, &max_late_us))) {
        return usage();
    }

    memset(&ss, 0, sizeof ss);
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    if (inet_pton(AF_INET6, argv[0], &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        sslen = sizeof *sin6;
    } else if (inet_pton(AF_INET, argv[0], &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        sslen = sizeof *sin;
    } else {
        fprintf(stderr, "udp-rate: %s: not an IP address\n", argv[0]);
        return 1;
    }

    fd = socket(ss.ss_family, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("udp-rate: socket");
        goto out;
    }

    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    /* Keep to the schedule on a busy machine: a real-time priority (when
     * allowed) and no timer slack.  At the rates used here this costs a
     * few percent of a CPU. */
    struct sched_param sp = { .sched_priority = 10 };
    bool rt = !sched_setscheduler(0, SCHED_FIFO, &sp);
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

    const uint64_t period = 1000000000u / pps;
    uint64_t start = now_ns() + 1000000;  /* 1 ms from now. */
    uint64_t max_late = 0, late = 0, errors = 0, sent = 0;
    int first_errno = 0;
    for (uint64_t seq = 0; seq < count && !stop; seq++) {
        uint64_t due = start + seq * period;
        struct timespec ts = {
            .tv_sec = due / 1000000000u,
            .tv_nsec = due % 1000000000u,
        };
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)
               == EINTR && !stop) {
            continue;
        }

        uint64_t t = now_ns();
        uint64_t lateness = t > due ? t - due : 0;
        if (lateness > max_late) {
            max_late = lateness;
        }
        if (lateness > period / 2) {
            late++;
        }

        uint8_t buf[PAYLOAD_SIZE];
        struct rate_hdr hdr = {
            .magic = htonl(RATE_MAGIC),
            .id = htonl(id),
            .seq = hton64(seq),
            .sent_ns = hton64(t),
        };
        memset(buf, 0, sizeof buf);
        memcpy(buf, &hdr, sizeof hdr);
        if (sendto(fd, buf, sizeof buf, 0, (struct sockaddr *) &ss, sslen)
            < 0) {
            /* A packet that could not be sent is a lost packet, as long as
             * the network is the reason (no route while a link is down). */
            if (!first_errno) {
                first_errno = errno;
            }
            errors++;
        }
        sent++;
    }

    uint64_t elapsed = now_ns() - start;
    double rate = elapsed ? sent * 1e9 / elapsed : 0;
    bool behind = max_late > (max_late_us ? max_late_us * 1000
                              : 2 * period);
    printf("sent=%"PRIu64" pps=%"PRIu64" achieved_pps=%.1f "
           "max_late_us=%"PRIu64" late=%"PRIu64" send_errors=%"PRIu64
           " first_errno=%d rt=%d behind=%d\n",
           sent, pps, rate, max_late / 1000, late, errors,
           first_errno, rt, behind);
    fflush(stdout);
    retval = behind ? 3 : 0;

out:
    if (fd >= 0) {
        close(fd);
    }
    return retval;
}

static int
do_recv(int argc, char *argv[])
{
    uint64_t port, seconds;
    int retval = 1;
    int fd = -1;

    if (argc != 2
        || parse_u64(argv[0], 1, 65535, &port)
        || parse_u64(argv[1], 1, 86400, &seconds)) {
        return usage();
    }

    fd = socket(AF_INET6, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("udp-rate: socket");
        goto out;
    }
    int zero = 0, rcvbuf = 4 * 1024 * 1024;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in6 sin6 = {
        .sin6_family = AF_INET6,
        .sin6_port = htons(port),
        .sin6_addr = IN6ADDR_ANY_INIT,
    };
    if (bind(fd, (struct sockaddr *) &sin6, sizeof sin6) < 0) {
        perror("udp-rate: bind");
        goto out;
    }

    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("ready\n");
    fflush(stdout);

    uint64_t deadline = now_ns() + seconds * 1000000000u;
    while (!stop && now_ns() < deadline) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        if (poll(&pfd, 1, 100) <= 0) {
            continue;
        }
        for (;;) {
            uint8_t buf[2048];
            ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n < 0) {
                break;
            }
            uint64_t t = now_ns();
            struct rate_hdr hdr;
            if ((size_t) n < sizeof hdr) {
                continue;
            }
            memcpy(&hdr, buf, sizeof hdr);
            if (ntohl(hdr.magic) != RATE_MAGIC) {
                continue;
            }
            printf("%"PRIu32" %"PRIu64" %"PRIu64" %"PRIu64"\n",
                   ntohl(hdr.id), hton64(hdr.seq), hton64(hdr.sent_ns), t);
        }
        /* Readers follow the output as it grows. */
        fflush(stdout);
    }
    fflush(stdout);
    retval = 0;

out:
    if (fd >= 0) {
        close(fd);
    }
    return retval;
}

int
main(int argc, char *argv[])
{
    if (argc >= 2 && !strcmp(argv[1], "send")) {
        return do_send(argc - 2, argv + 2);
    } else if (argc >= 2 && !strcmp(argv[1], "recv")) {
        return do_recv(argc - 2, argv + 2);
    }
    return usage();
}
