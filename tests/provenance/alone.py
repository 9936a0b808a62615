"""Helpers for the tests of appends written alone (provenance.optimistic): the statements a block sends, and a
writer elsewhere."""

import threading
from contextlib import contextmanager

from django.db import connection, connections

from provenance import optimistic


@contextmanager
def statements():
    """The SQL of every statement this connection sends inside (BEGIN and COMMIT are not statements here)."""
    sent: list[str] = []

    def note(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield sent


def elsewhere(write) -> None:
    """Run `write` as another process would: on a connection of its own, and leaving this process's memory
    of the chains' heads as it was (a worker on another machine does not tell us what it wrote)."""
    remembered = dict(optimistic._heads)
    failure: list[BaseException] = []

    def run():
        try:
            write()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    optimistic._heads.clear()
    optimistic._heads.update(remembered)
    if failure:
        raise failure[0]
