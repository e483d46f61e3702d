"""A stand-in for the parts of GitHub's and GitLab's REST APIs the review sources call.

It answers in their documented shapes: GitHub's pull request and review objects, paginated with
`Link: <...>; rel="next"`; GitLab's merge request and `approvals` objects, and its offset
pagination headers (`Link`, `X-Next-Page` and friends). Routes are set per test; every request
is recorded with its headers (and the body of a POST, PUT or PATCH) so tests can assert what
credentials were sent and what was written. The Unity Catalog tests serve their routes on it too.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

REPO = "acme/credit-risk"
REPO_ID = 812_345_678  # GitHub's next-page links use /repositories/<id>/..., not the name


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is instead of `body` as JSON
    delay: float = 0.0


Route = Callable[[Seen], Reply]


@dataclass
class StandIn:
    url: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def answer(self, path: str, reply: Reply | Route) -> None:
        self.routes[path] = reply if callable(reply) else (lambda _seen: reply)

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]


@contextmanager
def review_standin() -> Iterator[StandIn]:
    state = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def do_PUT(self) -> None:
            self._answer("PUT")

        def do_PATCH(self) -> None:
            self._answer("PATCH")

        def _answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(
                method,
                parts.path,
                dict(parse_qsl(parts.query)),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length) if length else b"",
            )
            state.seen.append(seen)
            route = state.routes.get(parts.path)
            reply = route(seen) if route else Reply(404, {"message": "Not Found"})
            if reply.delay:
                time.sleep(reply.delay)
            payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# -- GitHub ----------------------------------------------------------------------------------


def github_user(login: str, user_id: int = 1) -> dict[str, Any]:
    return {
        "login": login,
        "id": user_id,
        "node_id": "MDQ6VXNlcjE=",
        "avatar_url": "https://github.com/images/error/octocat_happy.gif",
        "html_url": f"https://github.com/{login}",
        "type": "User",
        "site_admin": False,
    }


def github_pull(number: int, author: str) -> dict[str, Any]:
    return {
        "url": f"https://api.github.com/repos/{REPO}/pulls/{number}",
        "id": 1_000_000 + number,
        "node_id": "MDExOlB1bGxSZXF1ZXN0MQ==",
        "html_url": f"https://github.com/{REPO}/pull/{number}",
        "number": number,
        "state": "open",
        "locked": False,
        "title": "Promote credit-risk v2",
        "user": github_user(author, 7),
        "draft": False,
        "head": {"ref": "promote-v2", "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e"},
        "base": {"ref": "main", "sha": "c5b97d5ae6c19d5c5df71a34c7fbeeda2479ccbc"},
    }


def github_review(
    review_id: int, login: str | None, state: str, submitted_at: str | None, number: int = 17
) -> dict[str, Any]:
    """A review as `GET /repos/{owner}/{repo}/pulls/{n}/reviews` lists it (PENDING: no time)."""
    review: dict[str, Any] = {
        "id": review_id,
        "node_id": "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3ODA=",
        "user": github_user(login, review_id) if login else None,
        "body": "",
        "state": state,
        "html_url": f"https://github.com/{REPO}/pull/{number}#pullrequestreview-{review_id}",
        "pull_request_url": f"https://api.github.com/repos/{REPO}/pulls/{number}",
        "_links": {
            "html": {
                "href": f"https://github.com/{REPO}/pull/{number}#pullrequestreview-{review_id}"
            },
            "pull_request": {"href": f"https://api.github.com/repos/{REPO}/pulls/{number}"},
        },
        "commit_id": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091",
        "author_association": "MEMBER",
    }
    if submitted_at is not None:
        review["submitted_at"] = submitted_at
    return review


def github_error(message: str) -> dict[str, Any]:
    return {"message": message, "documentation_url": "https://docs.github.com/rest"}


def github_pages(state: StandIn, items: list[Any], default_per_page: int = 30) -> Route:
    """Pages of `items` as GitHub serves them: `per_page` honoured (at most 100), and a Link
    header whose URLs point at /repositories/<id>/... as GitHub's do."""

    def route(seen: Seen) -> Reply:
        per_page = min(int(seen.query.get("per_page", default_per_page)), 100)
        page = int(seen.query.get("page", "1"))
        last = max(1, -(-len(items) // per_page))
        tail = seen.path.split("/pulls/", 1)[1]
        base = f"{state.url}/repositories/{REPO_ID}/pulls/{tail}"

        def link(n: int) -> str:
            return f"<{base}?{urlencode({'per_page': per_page, 'page': n})}>"

        links = []
        if page > 1:
            links += [f'{link(page - 1)}; rel="prev"', f'{link(1)}; rel="first"']
        if page < last:
            links += [f'{link(page + 1)}; rel="next"', f'{link(last)}; rel="last"']
        headers = {"Link": ", ".join(links)} if links else {}
        return Reply(body=items[(page - 1) * per_page : page * per_page], headers=headers)

    return route


# -- GitLab ----------------------------------------------------------------------------------


def gitlab_user(username: str, user_id: int = 1) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": username.title(),
        "username": username,
        "state": "active",
        "avatar_url": "https://www.gravatar.com/avatar/0?s=80&d=identicon",
        "web_url": f"https://gitlab.example.com/{username}",
    }


def gitlab_merge_request(iid: int, project_id: int, author: str) -> dict[str, Any]:
    """`GET /projects/:id/merge_requests/:merge_request_iid` (the fields a reader needs)."""
    return {
        "id": 90_000 + iid,
        "iid": iid,
        "project_id": project_id,
        "title": "Promote credit-risk v2",
        "state": "opened",
        "created_at": "2026-11-19T09:00:00.000Z",
        "updated_at": "2026-11-20T09:30:00.000Z",
        "target_branch": "main",
        "source_branch": "promote-v2",
        "author": gitlab_user(author, 7),
        "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        "web_url": f"https://gitlab.example.com/acme/credit-risk/-/merge_requests/{iid}",
    }


def gitlab_mr_approvals(
    iid: int, project_id: int, approvers: list[tuple[str, str | None]]
) -> dict[str, Any]:
    """`GET .../merge_requests/:iid/approvals`; `approved_at` only where given (newer GitLab)."""
    approved_by = []
    for index, (username, approved_at) in enumerate(approvers):
        entry: dict[str, Any] = {"user": gitlab_user(username, 100 + index)}
        if approved_at is not None:
            entry["approved_at"] = approved_at
        approved_by.append(entry)
    return {
        "id": 90_000 + iid,
        "iid": iid,
        "project_id": project_id,
        "title": "Promote credit-risk v2",
        "description": "",
        "state": "opened",
        "created_at": "2026-11-19T09:00:00.000Z",
        "updated_at": "2026-11-20T09:30:00.000Z",
        "merge_status": "can_be_merged",
        "approvals_required": 2,
        "approvals_left": max(0, 2 - len(approvers)),
        "approved_by": approved_by,
    }


def gitlab_pages(state: StandIn, items: list[Any], with_link: bool = True) -> Route:
    """Offset pagination as GitLab documents it: `X-Page`, `X-Per-Page`, `X-Next-Page` (empty on
    the last page), `X-Prev-Page`, `X-Total`, `X-Total-Pages`, and a `Link` header."""

    def route(seen: Seen) -> Reply:
        per_page = min(int(seen.query.get("per_page", "20")), 100)
        page = int(seen.query.get("page", "1"))
        last = max(1, -(-len(items) // per_page))
        nxt = str(page + 1) if page < last else ""
        headers = {
            "X-Page": str(page),
            "X-Per-Page": str(per_page),
            "X-Next-Page": nxt,
            "X-Prev-Page": str(page - 1) if page > 1 else "",
            "X-Total": str(len(items)),
            "X-Total-Pages": str(last),
        }
        if with_link:
            others = {k: v for k, v in seen.query.items() if k not in ("page", "per_page")}

            def link(n: int, rel: str) -> str:
                query = urlencode({**others, "page": n, "per_page": per_page})
                return f'<{state.url}{seen.path}?{query}>; rel="{rel}"'

            links = [link(page - 1, "prev")] if page > 1 else []
            links += [link(page + 1, "next")] if nxt else []
            links += [link(1, "first"), link(last, "last")]
            headers["Link"] = ", ".join(links)
        return Reply(body=items[(page - 1) * per_page : page * per_page], headers=headers)

    return route
