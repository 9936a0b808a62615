"""Celery's Redis transport with one repair: a worker survives Redis going away while it holds messages it
has not yet acknowledged.

When the connection drops, the worker closes the channel and releases the connection; but that channel is
still asked to reach Redis afterwards (to hand its unacknowledged messages back as it closes, or to
acknowledge a task that finished meanwhile), and kombu (5.7) then fails with an AttributeError that nothing
catches: the worker ends ("Unrecoverable error: AttributeError … 'hostname'" or "… 'client'"). Here such a
channel raises Redis's ConnectionError instead, an error of the connection that Celery expects and rides
out. Nothing is lost by that: unacknowledged messages stay in Redis's unacked index and come back after
the visibility timeout (if Redis kept them), the controller sends again every job whose message is overdue
(SEEDTRACE_EVALUATION_RESEND), and a job's database row decides who evaluates it.
"""

from kombu.transport import redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("this channel's broker connection was closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel
