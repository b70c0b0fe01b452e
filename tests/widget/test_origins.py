"""The origin allow-list, including the daemon's own pages (no Origin header on a same-origin
GET: Sec-Fetch-Site, which pages cannot forge, tells)."""

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from widget.origins import Origins

ORIGINS = Origins(["http://shop.test", "http://localhost:8080"])


def request(headers: dict[str, str], host: str = "localhost:8080") -> web.Request:
    return make_mocked_request("GET", "/widget/config", headers={"Host": host, **headers})


def test_a_listed_origin_passes() -> None:
    assert ORIGINS.check(request({"Origin": "http://shop.test"})) == "http://shop.test"


def test_an_unlisted_or_missing_origin_is_refused() -> None:
    for headers in ({"Origin": "http://evil.test"}, {}, {"Sec-Fetch-Site": "cross-site"}):
        with pytest.raises(web.HTTPForbidden):
            ORIGINS.check(request(headers))


def test_the_daemons_own_page_passes_when_its_origin_is_listed() -> None:
    same = {"Sec-Fetch-Site": "same-origin"}
    assert ORIGINS.check(request(same)) == "http://localhost:8080"
    with pytest.raises(web.HTTPForbidden):
        ORIGINS.check(request(same, host="other.host:9000"))
