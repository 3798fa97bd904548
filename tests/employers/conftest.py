from tests.employers.fixtures import (  # noqa: F401 — fixtures
    _empty_cache,
    _english_pages,
    _fast_password_hashing,
    applicant,
    application,
    opening,
    outsider,
    owner,
    reviewer,
    share,
    viewer,
)
