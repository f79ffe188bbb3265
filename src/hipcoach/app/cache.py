"""The cache backend of the rate limits (settings.CACHES["ratelimit"]): counts every server process shares."""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    """Django's database cache with an atomic `incr`, so concurrent requests cannot lose a count.

    The stock `incr` reads the value and writes it back: two requests at once both read 3 and both write 4, which
    is why django-ratelimit refuses the database cache (django_ratelimit.E003). Here the row is locked first (an
    UPDATE that changes nothing: a row lock on PostgreSQL, the write lock on SQLite), and read and written in the
    same transaction, so the second request waits for the first and counts on from its value.
    """

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table_name: str = self._table  # type: ignore[attr-defined]  # Django sets it; its stubs omit it
        table, value_column, expires_column = map(quote_name, (table_name, "value", "expires"))
        where = f"WHERE {quote_name('cache_key')} = %s"
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {expires_column} = {expires_column} {where}", [cache_key])
            if cursor.rowcount:
                cursor.execute(f"SELECT {value_column}, {expires_column} FROM {table} {where}", [cache_key])
                row = cursor.fetchone()
            else:
                row = None
            if row is None or self._has_expired(row[1], connection):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_column} = %s {where}", [encoded, cache_key])
        return value

    @staticmethod
    def _has_expired(expires: Any, connection: Any) -> bool:
        # As DatabaseCache.get_many reads it: aware or naive depending on USE_TZ and the database.
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return bool(expires < tz_now())
