"""The Python pair of `jipc bench` (message queue row), through the sysv_ipc C extension.

    python3 bench_mq.py KEY WARMUP ROUNDS N64 N4K CPU_PARENT CPU_CHILD

The queue (by KEY) is created and removed by the Java harness. The process forks; the parent
times WARMUP + ROUNDS ping-pongs of 64 bytes (type 1 out, type 2 back), then one-way runs of
64-byte and 4 KiB messages acked by the child. Output as bench_peer.c's.
"""
import ctypes
import os
import struct
import sys
import time

import sysv_ipc

key, warm, rounds, n64, n4k, cpu_parent, cpu = (int(a) for a in sys.argv[1:8])
q = sysv_ipc.MessageQueue(key, max_message_size=4096)
small, big = b"\0" * 64, b"\0" * 4096
pid = os.fork()
if pid == 0:
    try:
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL: do not outlive the parent
        if cpu >= 0:
            os.sched_setaffinity(0, {cpu})
        for _ in range(warm + rounds):
            m, _t = q.receive(type=1)
            q.send(m, type=2)
        for n in (n64 // 5, n64, n4k // 5, n4k):
            for _ in range(n):
                q.receive(type=1)
            q.send(struct.pack("=q", n) + small[8:], type=2)
    except sysv_ipc.ExistentialError:
        pass
    os._exit(0)
if cpu_parent >= 0:
    os.sched_setaffinity(0, {cpu_parent})
now = time.monotonic_ns
rtt = []
for i in range(warm + rounds):
    t0 = now()
    q.send(small, type=1)
    q.receive(type=2)
    if i >= warm:
        rtt.append(now() - t0)
lines = ["rtt " + " ".join(str(r) for r in sorted(rtt))]
for size, n, body, timed in ((64, n64 // 5, small, False), (64, n64, small, True),
                             (4096, n4k // 5, big, False), (4096, n4k, big, True)):
    t0 = now()
    for _ in range(n):
        q.send(body, type=1)
    ack, _t = q.receive(type=2)
    if timed:
        lines.append("thr %d %d %d" % (size, struct.unpack("=q", ack[:8])[0], now() - t0))
os.waitpid(pid, 0)
print("\n".join(lines))
