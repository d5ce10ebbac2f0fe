def connect(url):
    conn = open_connection(url)
    conn.autocommit = True
    return conn
