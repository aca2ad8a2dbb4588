"""Who acts, as the kernel knows it: the effective user's name from the password database.

LOGNAME, USER and their kind are set by whoever starts the process, so they never name the user in a record.
When one of them says something else, the record keeps that claim too, labelled as the environment's, since a
mismatch is itself worth an auditor's attention (a shared account, `sudo -E`, or someone posing).
"""

from __future__ import annotations

import os

try:
    import pwd
except ImportError:  # Windows: no password database; the login name is all there is.
    pwd = None  # type: ignore[assignment]

# The variables `getpass.getuser` reads, in its order.
_CLAIMS = ("LOGNAME", "USER", "LNAME", "USERNAME")


def os_user() -> str:
    """The effective user's name, or its number when the password database has no entry for it."""
    if pwd is None:
        import getpass

        return getpass.getuser()
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def identity_fields() -> dict[str, str]:
    """The record's `os_user`, plus `env_user` ("LOGNAME=name") when the environment names someone else."""
    user = os_user()
    fields = {"os_user": user}
    for name in _CLAIMS:
        claimed = os.environ.get(name)
        if claimed:
            if claimed != user:
                fields["env_user"] = f"{name}={claimed}"
            break
    return fields
