def test_healthz_answers_ok_in_plain_text_without_the_database(client):
    """No ``django_db`` mark: pytest-django fails any test that touches the database."""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_healthz_is_never_cached(client):
    client.get("/healthz/")
    response = client.get("/healthz/")
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_head_and_refuses_post(client):
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405
