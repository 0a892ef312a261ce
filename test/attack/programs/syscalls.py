# The Python side of the system-call filter: os.fork and threads must work; a user namespace, a
# keyring, io_uring and AF_VSOCK / AF_NETLINK sockets must not. Prints "<what>: ok" or
# "<what>: <errno name>".
import ctypes
import errno
import os
import socket
import threading

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
SYS_add_key, SYS_keyctl, SYS_io_uring_setup = 248, 250, 425


def note(what, rc):
    print(f"{what}: {'ok' if rc >= 0 else errno.errorcode.get(ctypes.get_errno(), '?')}", flush=True)


def sock(what, family, kind):
    try:
        socket.socket(family, kind).close()
        print(f"{what}: ok", flush=True)
    except OSError as e:
        print(f"{what}: {errno.errorcode.get(e.errno, e.errno)}", flush=True)


note("deny unshare user", libc.unshare(CLONE_NEWUSER))
note("deny add_key", libc.syscall(SYS_add_key, b"user", b"judged-attack", b"secret", 6, -4))
note("deny keyctl", libc.syscall(SYS_keyctl, 0, -4, 1))
note("deny io_uring_setup", libc.syscall(SYS_io_uring_setup, 4, ctypes.create_string_buffer(120)))
sock("deny socket vsock", 40, socket.SOCK_STREAM)
sock("deny socket netlink", socket.AF_NETLINK, socket.SOCK_RAW)
sock("allow socket inet", socket.AF_INET, socket.SOCK_STREAM)
pid = os.fork()
if pid == 0:
    os._exit(3)
note("allow fork", 0 if os.WEXITSTATUS(os.waitpid(pid, 0)[1]) == 3 else -1)
t = threading.Thread(target=lambda: None)
t.start()
t.join()
note("allow thread", 0)
