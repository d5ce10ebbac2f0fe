import socket

HOST = "127.0.0.1"
PORT = 8000


def serve():
    sock = socket.socket()
    sock.bind((HOST, PORT))
    sock.listen()
    return sock
