import os
import socket

HOST = "127.0.0.1"
PORT = int(os.environ.get("PORT", "8000"))


def serve():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, PORT))
    sock.listen()
    return sock
