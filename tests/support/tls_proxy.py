"""A TLS front for a local HTTP server, as a self-hosted GitLab or Gitea behind a certificate of
a private authority is: accepts TLS on 127.0.0.1, pipes each connection to the backend port, and
counts the connections it accepted (one line each in COUNT_FILE).

Usage: tls_proxy.py CERT KEY BACKEND_PORT COUNT_FILE; prints the port it listens on.
"""

import socket
import ssl
import sys
import threading


def pipe(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, context, backend_port, count_file):
    with open(count_file, "a") as count:
        count.write("connection\n")
    try:
        secure = context.wrap_socket(client, server_side=True)
    except (ssl.SSLError, OSError):
        client.close()
        return
    upstream = socket.create_connection(("127.0.0.1", backend_port))
    threading.Thread(target=pipe, args=(secure, upstream), daemon=True).start()
    pipe(upstream, secure)


def main():
    cert, key, backend_port, count_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, context, backend_port, count_file), daemon=True).start()


if __name__ == "__main__":
    main()
