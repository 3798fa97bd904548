from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address.

    Applicants, HR staff (through employer memberships) and site admins (``is_staff``)
    are all users; what they may see follows from memberships, not from a user type.
    """

    username = None  # type: ignore[assignment]  # e-mail is the login
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    # The applicant's name as HR see it (family name first, as Japanese forms ask for it);
    # the readings (furigana) are optional. A database default too, so rows written by code
    # that predates the columns (a rolling deploy, an old migration's model) still insert.
    family_name = models.CharField(_("family name"), max_length=100, blank=True, db_default="")
    given_name = models.CharField(_("given name"), max_length=100, blank=True, db_default="")
    family_name_reading = models.CharField(
        _("family name (furigana)"), max_length=100, blank=True, db_default=""
    )
    given_name_reading = models.CharField(
        _("given name (furigana)"), max_length=100, blank=True, db_default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # AbstractUser types `objects` as its username-based manager; ours logs in by e-mail.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        # The model was born in the `portal` app; keeping its table (and the join tables
        # named after it) means moving it here rewrote no rows. See migrations/0001.
        db_table = "portal_user"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family_name, self.given_name) if part)

    @property
    def name_reading(self) -> str:
        return " ".join(p for p in (self.family_name_reading, self.given_name_reading) if p)

    @property
    def hr_name(self) -> str:
        """How HR pages name an applicant: the name they gave, never their e-mail address
        (that is shown once, on the candidate's own page)."""
        return (
            self.full_name
            or self.display_name
            or gettext("Applicant who gave no name (#%(id)s)") % {"id": self.pk}
        )
