from tests.voting.conftest import fresh_database_url

__all__ = ["fresh_database_url"]
