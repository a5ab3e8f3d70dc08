#!/usr/bin/env python3
"""Console end of a --console-socket: accept one connection, take the pty master it carries
(SCM_RIGHTS) and copy everything the container writes to its console into LOG until killed.

    console_sink.py SOCKET LOG

The master is kept open even while no process in the container holds the terminal: systemd
reopens /dev/console for each message, and a read then fails with EIO; closing the master at
that point would leave the container's console dead for good (and systemd retrying it).
"""
import array
import os
import socket
import sys
import time

path, log = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
conn, _ = server.accept()
fds = array.array("i")
_, ancillary, _, _ = conn.recvmsg(4096, socket.CMSG_LEN(fds.itemsize))
for level, kind, data in ancillary:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[: fds.itemsize])
conn.close()
server.close()
os.unlink(path)
if not fds:
    sys.exit("console_sink: no file descriptor received")
with open(log, "ab", buffering=0) as out:
    while True:
        try:
            data = os.read(fds[0], 4096)
        except OSError:
            time.sleep(0.02)
            continue
        if data:
            out.write(data)
        else:
            time.sleep(0.02)
