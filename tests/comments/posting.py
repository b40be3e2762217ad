"""Posting a reply the way the browser does, for the tests."""

from comments.spam import issue_form_token

READER_IP = "198.51.100.7"


def reply_data(story, **fields):
    """What the form sends, with a valid token for ``story``; override any field by name."""
    data = {
        "comment": "The harbour needed this money years ago.",
        "author": "Ada Lovelace",
        "email": "ada@example.com",
        "url": "",
        "parent": "0",
        "token": issue_form_token(story),
        "honeypot": "",
    }
    data.update(fields)
    return data


def post_reply(client, story, ip=READER_IP, headers=None, **fields):
    return client.post(f"/comments/{story.pk}/post/", reply_data(story, **fields), REMOTE_ADDR=ip, headers=headers)
