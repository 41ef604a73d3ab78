from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from anb.accounts.models import User
from anb.accounts.schemas import SignupIn
from anb.accounts.service import AccountService
from anb.errors import Forbidden
from anb.fans.schemas import FanSignupIn


class FansCannotUpload(Forbidden):
    code = "fan_account"
    detail = "Las cuentas de aficionado no suben videos: crea una cuenta de jugador para participar."


async def sign_up_fan(accounts: AccountService, data: FanSignupIn) -> User:
    """The statement's signup with no last name, city or country: same email, password and duplicate rules.

    ``model_construct`` skips SignupIn's non-empty checks on purpose: the empty fields are what
    makes this account a fan's, and every other field was validated by FanSignupIn.
    """
    signup = SignupIn.model_construct(
        first_name=data.name,
        last_name="",
        email=data.email,
        password1=data.password1,
        password2=data.password2,
        city="",
        country="",
    )
    return await accounts.signup(signup)


def is_fan(user: User) -> bool:
    return user.city == ""


async def ensure_player(db: AsyncSession, user_id: uuid.UUID) -> None:
    user = await db.get(User, user_id)
    if user is not None and is_fan(user):
        raise FansCannotUpload()
