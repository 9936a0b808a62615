"""A rule never sees the caller's environment (API keys, database URLs), even when it gets past the static
check and reaches the real `os` module: the zygote starts from an empty environment, so neither the child's
`os.environ`, nor `getenv`, nor the memory behind /proc/<pid>/environ holds anything of ours. Each probe
puts what it finds into an exception message, the channel a rule controls."""

import pytest

from evolution.sandbox import Sandbox
from tests.evolution.rules import TABLE, escape

SECRETS = {
    "LLM_API_KEY": "sk-marker-8c1f0e5b7d",
    "DATABASE_URL": "postgres://seedtrace:marker-pw-41d2@db/seedtrace",
    "SEEDTRACE_SECRET_MARKER": "marker-secret-93a7",
}
# Binds libc's getenv for the probes, which see `g`, `sys` and `getenv`.
GETENV = (
    "ctypes = sys.modules['ctypes']\n"
    "getenv = ctypes.CDLL(None).getenv\n"
    "getenv.restype = ctypes.c_char_p\n"
)


@pytest.fixture(scope="module")
def sandbox():
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRETS.items():
            patch.setenv(name, value)
        sandbox = Sandbox()
        sandbox.layers()  # the zygote starts now, while the secrets are in our environment
    yield sandbox
    sandbox.close()


def probe(sandbox, expression: str) -> str:
    """The reason the rule failed with: `[].index(x)` raises "ValueError: <repr of x> is not in list"."""
    outcome = sandbox.run_unchecked(escape(f"{GETENV}[].index({expression})"), TABLE)
    assert outcome.failure == "exception", outcome
    return outcome.reason


def assert_no_secret(text: str) -> None:
    for value in SECRETS.values():
        assert value not in text
    assert "marker" not in text


@pytest.mark.parametrize("name", sorted(SECRETS))
@pytest.mark.parametrize(
    "lookup",
    [
        "g['environ'].get({name!r}, 'absent')",
        "g['getenv']({name!r}, 'absent')",
        "sys.modules['builtins'].__import__('os').environ.get({name!r}, 'absent')",
        "g['environb'].get({name!r}.encode(), 'absent')",
        "(getenv({name!r}.encode()) or b'absent').decode()",
    ],
    ids=["os.environ", "os.getenv", "__import__", "os.environb", "libc getenv"],
)
def test_no_variable_of_the_caller_is_set_in_the_child(sandbox, lookup, name):
    reason = probe(sandbox, lookup.format(name=name))
    assert "ValueError: 'absent' is not in list" in reason
    assert_no_secret(reason)


def test_the_child_s_environment_is_empty(sandbox):
    reason = probe(sandbox, "len(g['environ']) + len(g['environb'])")
    assert "ValueError: 0 is not in list" in reason


@pytest.mark.parametrize("whose", ["'self'", "g['getppid']()"], ids=["the child's", "the zygote's"])
def test_proc_environ_cannot_be_read_by_the_rule(sandbox, whose):
    reason = probe(sandbox, f"sys.modules['io'].open('/proc/%s/environ' % {whose}, 'rb').read()")
    assert "PermissionError" in reason
    assert_no_secret(reason)


def test_the_zygote_s_own_environment_holds_none_of_ours(sandbox):
    """What a rule that could read memory or /proc would find: the zygote's environment as exec'd."""
    reason = probe(sandbox, "g['getppid']()")
    zygote = int(reason.split("ValueError: ")[1].split()[0])
    with open(f"/proc/{zygote}/environ", "rb") as f:
        environ = f.read().decode(errors="replace")
    assert_no_secret(environ)
    assert not any(name in environ for name in SECRETS)
