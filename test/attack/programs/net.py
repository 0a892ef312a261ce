# Network from inside: TCP to a port the test listens on (host loopback), UDP to a port the test
# listens on, an abstract unix socket the test listens on, and DNS. One line per try:
# "<what>: ok" or "<what>: <error>". The test also checks on the host that nothing arrived.
import socket
import sys

tcp_port, udp_port, abstract = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def attempt(what, fn):
    try:
        fn()
        print(f"{what}: ok", flush=True)
    except Exception as e:  # noqa: BLE001 - any failure is the expected outcome
        print(f"{what}: {type(e).__name__} {e}", flush=True)


def tcp():
    with socket.create_connection(("127.0.0.1", tcp_port), timeout=1) as s:
        s.sendall(b"tcp from sandbox\n")


def udp():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _ in range(3):
            s.sendto(b"udp from sandbox\n", ("127.0.0.1", udp_port))


def unix_abstract():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        s.connect("\0" + abstract)
        s.sendall(b"unix from sandbox\n")


def dns():
    socket.getaddrinfo("example.com", 80)


def interfaces():
    names = [n for _, n in socket.if_nameindex()]
    print("interfaces: " + " ".join(names), flush=True)


attempt("tcp", tcp)
attempt("udp", udp)
attempt("unix", unix_abstract)
attempt("dns", dns)
attempt("ifaces", interfaces)
