from app.models import User


def show(user):
    return f"<p>{user.name}</p>"
