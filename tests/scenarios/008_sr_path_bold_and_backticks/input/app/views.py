from app.models import User


def show(user):
    return "<p>" + user.name + "</p>"
