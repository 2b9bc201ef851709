"""API keys in the operating system's keyring, never anywhere else.

``KeyStore`` wraps ``keyring``: one entry per profile under the service name
``kombo-desktop``, with the profile's stable id as the user name, so renaming a
profile never orphans its key.

There is no plaintext fallback. A backend that is missing or insecure (the
``fail`` and ``null`` backends, anything from ``keyrings.alt``, a file-backed
backend, a priority of 0 or less, or a chainer with no secure backend behind it)
counts as unavailable, and the caller offers the person a choice: keep the key in
this process's memory for this session only, or cancel.

Every call may block (D-Bus, an unlock prompt), so GUI code calls it off the GUI
thread. The store is safe to use from several threads.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kombo_desktop.core.connection import validate_api_key
from kombo_desktop.core.errors import KomboDesktopError
from kombo_desktop.core.logs import redact, register_secret

if TYPE_CHECKING:
    # keyring (and the entry points it scans) loads with the first keyring call, which
    # runs off the GUI thread, not when the window is built.
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

#: The keyring service name every key is stored under.
SERVICE_NAME = "kombo-desktop"

#: Class names of keyrings.alt backends that keep secrets in files; refused wherever they
#: come from, because a subclass or a copy in another package is just as insecure.
_INSECURE_CLASS_NAMES = frozenset(
    {
        "FileBacked",
        "PlaintextKeyring",
        "EncryptedKeyring",
        "UnencryptedKeyring",
        "RegistryKeyring",
    }
)

# "{found}" in the two texts below says what was found instead of a secure keyring.
_UNAVAILABLE_TEXT = (
    "No secure system keyring is available ({found}). Kombo Desktop never stores API keys "
    "in plain text: start or install a keyring service such as GNOME Keyring, KWallet or "
    "KeePassXC (Secret Service)."
)
#: Said instead of ``_UNAVAILABLE_TEXT`` whenever a key was to be deleted.
_NOT_DELETED_TEXT = (
    "No secure system keyring can be reached ({found}), so an API key it may hold for this "
    "profile could not be deleted. Start or unlock your keyring service (such as GNOME "
    "Keyring, KWallet or KeePassXC), then try again."
)
_LOCKED_TEXT = (
    "The system keyring is locked, or the request to unlock it was dismissed. Unlock it "
    "(for example by signing in to the desktop or opening your password manager) and try "
    "again."
)
_DENIED_TEXT = (
    "The system keyring refused access to the API key. Check that Kombo Desktop may use "
    "the keyring, then try again."
)
_NONE_FOUND = "none found"
_SERVICE_STOPPED = "the desktop's keyring stopped answering"

#: Where keyring's own secure backends keep keys, in words, by the backend's module.
_KEYRING_PLACES = {
    "keyring.backends.SecretService": "the desktop's keyring (Secret Service)",
    "keyring.backends.libsecret": "the desktop's keyring (Secret Service)",
    "keyring.backends.kwallet": "KDE Wallet",
    "keyring.backends.macOS": "the macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}
#: Any other secure backend (a keyring plug-in), whose name would mean nothing to people.
_ANY_KEYRING = "the system keyring"

#: Said where API keys would be kept when no secure keyring can be used.
NO_KEYRING_TEXT = "No secure keyring is available on this computer, so API keys cannot be saved."


class SecretStoreError(KomboDesktopError):
    """The system keyring could not be used; ``message`` says why in plain words.

    ``detail`` holds the technical cause (never a key) for logs and detail views.
    """

    default_message = _DENIED_TEXT

    def __init__(self, message: str | None = None, *, detail: str = "") -> None:
        self.message = message or self.default_message
        # The cause is a keyring backend's own exception text: mask any key it quotes.
        self.detail = redact(detail)
        super().__init__(self.message)


class SecretStoreUnavailable(SecretStoreError):
    """No secure keyring backend exists on this computer (or only insecure ones), or the
    one in use stopped answering (``stopped_answering``)."""

    default_message = _UNAVAILABLE_TEXT.format(found=_NONE_FOUND)

    def __init__(
        self, message: str | None = None, *, detail: str = "", stopped_answering: bool = False
    ) -> None:
        """``stopped_answering``: a secure keyring was in use and may answer again once its
        service is back, so trying again can help; else there is none to try again, since
        keyring keeps the backend it chose for the whole session."""
        super().__init__(message, detail=detail)
        self.stopped_answering = stopped_answering


def is_no_keyring(error: BaseException) -> bool:
    """True when ``error`` says that there is no secure keyring to use at all in this
    session (``SecretStoreUnavailable``, but for one that stopped answering): reading
    again cannot help, unlike for a keyring locked or gone away for a moment."""
    return isinstance(error, SecretStoreUnavailable) and not error.stopped_answering


class SecretStoreLocked(SecretStoreError):
    """The keyring is locked and was not unlocked (prompt dismissed or impossible)."""

    default_message = _LOCKED_TEXT


class SecretStoreDenied(SecretStoreError):
    """The keyring refused the operation."""

    default_message = _DENIED_TEXT


def backend_name(backend: KeyringBackend) -> str:
    """keyring's own name of a backend, e.g. ``SecretService Keyring``: for logs and
    detail views, not for the words people read (``KeyringInUse.place``)."""
    try:
        name = str(backend.name)
    except Exception:  # a backend's name property may probe the system and fail
        name = type(backend).__name__
    return name


def _keyring_place(backend: KeyringBackend) -> str:
    """Where a secure backend keeps keys, in words, e.g. "the desktop's keyring (Secret
    Service)"."""
    return _KEYRING_PLACES.get(type(backend).__module__, _ANY_KEYRING)


@dataclass(frozen=True)
class KeyringInUse:
    """Where API keys are kept: ``place`` in words (``None`` when no secure keyring can be
    used), and ``technical``, keyring's own name of the backend, for a tooltip or a log."""

    place: str | None
    technical: str

    @property
    def sentence(self) -> str:
        """Where API keys are kept, as a sentence that stands on its own."""
        if self.place is None:
            return NO_KEYRING_TEXT
        return f"API keys are kept in {self.place}."


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:  # priority probes the service; failing to probe means unusable
        return -1.0


def is_secure_backend(backend: KeyringBackend) -> bool:
    """True when ``backend`` keeps secrets in a real OS keyring (not a chainer).

    Refused: the fail and null backends, every backend of ``keyrings.alt`` or with the
    class name of one, file-backed backends (they have a ``file_path``), and any
    backend whose priority is 0 or less (keyring's own mark of "not recommended").
    """
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring | chainer.ChainerBackend):
        return False
    cls = type(backend)
    module = cls.__module__ or ""
    if module == "keyrings.alt" or module.startswith("keyrings.alt."):
        return False
    if any(base.__name__ in _INSECURE_CLASS_NAMES for base in cls.__mro__):
        return False
    if hasattr(cls, "file_path"):
        return False
    return _priority(backend) > 0


def secure_backends_of(backend: KeyringBackend) -> list[KeyringBackend]:
    """The secure backends behind ``backend``, chainers unwrapped, best first."""
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        try:
            inner: list[KeyringBackend] = list(backend.backends)
        except Exception:  # discovering chained backends probes each; treat as none
            log.warning("Could not list the chained keyring backends", exc_info=True)
            return []
        return [b for b in inner if is_secure_backend(b)]
    return [backend] if is_secure_backend(backend) else []


def _class_names(exc: BaseException) -> set[str]:
    # secretstorage exists only on Linux, so its exceptions are recognised by name.
    return {cls.__name__ for cls in type(exc).__mro__}


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from or while handling, as a traceback
    shows them: its ``__cause__``, else its ``__context__`` unless that was suppressed."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):  # no loops
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain


def _is_locked(exc: BaseException) -> bool:
    """True when the keyring is locked and was not unlocked, also when a backend says so
    only in the exception behind its own: keyring's Secret Service backend raises
    ``InitError("Failed to create the collection: Prompt dismissed.")`` from
    secretstorage's ``PromptDismissedException`` when the unlock prompt was dismissed or
    could not be shown (no display, as over SSH)."""
    import keyring.errors

    return any(
        isinstance(link, keyring.errors.KeyringLocked)
        or _class_names(link) & {"LockedException", "PromptDismissedException"}
        for link in _chain(exc)
    )


def _is_not_found(exc: BaseException) -> bool:
    return "ItemNotFoundException" in _class_names(exc) and not _is_locked(exc)


def _translate(
    exc: BaseException, action: str, unavailable_text: str = _UNAVAILABLE_TEXT
) -> SecretStoreError:
    """Map whatever a backend raised to one of our plain-language errors; a keyring that
    went away is worded by ``unavailable_text`` (see ``KeyStore._secure_backend``)."""
    detail = f"{action}: {type(exc).__name__}: {exc}"
    if isinstance(exc, SecretStoreError):
        return exc
    import keyring.errors

    if _is_locked(exc):
        return SecretStoreLocked(detail=detail)
    if isinstance(exc, keyring.errors.NoKeyringError):
        return SecretStoreUnavailable(unavailable_text.format(found=_NONE_FOUND), detail=detail)
    if "SecretServiceNotAvailableException" in _class_names(exc):
        return SecretStoreUnavailable(
            unavailable_text.format(found=_SERVICE_STOPPED),
            detail=detail,
            stopped_answering=True,
        )
    return SecretStoreDenied(detail=detail)


class KeyStore:
    """API keys by profile id: session-only keys in memory first, then the OS keyring.

    With ``backend`` None, the backend is ``keyring.get_keyring()`` at each call, so
    the configured keyring is always the one used.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        # Keys the person chose to keep for this session only: this dict and nowhere else.
        self._session_keys: dict[str, str] = {}
        self._lock = threading.Lock()

    def _active_backend(self, unavailable_text: str = _UNAVAILABLE_TEXT) -> KeyringBackend:
        """The configured backend, or ``SecretStoreUnavailable`` worded by
        ``unavailable_text`` when keyring cannot even say which one that is."""
        if self._backend is not None:
            return self._backend
        import keyring

        try:
            active: KeyringBackend = keyring.get_keyring()
        except Exception as exc:  # keyring's own discovery failing means no usable keyring
            raise SecretStoreUnavailable(
                unavailable_text.format(found=_NONE_FOUND),
                detail=f"keyring.get_keyring: {exc}",
            ) from exc
        return active

    def _secure_backend(self, unavailable_text: str = _UNAVAILABLE_TEXT) -> KeyringBackend:
        """The secure backend to use, or ``SecretStoreUnavailable`` worded by
        ``unavailable_text`` (its ``{found}`` names the backend that was refused, or says
        that none was found) however the keyring is out of reach."""
        active = self._active_backend(unavailable_text)
        secure = secure_backends_of(active)
        if not secure:
            cls = type(active)
            raise SecretStoreUnavailable(
                unavailable_text.format(found=_NONE_FOUND),
                detail=f"refused backend {cls.__module__}.{cls.__qualname__} "
                f"({backend_name(active)})",
            )
        return secure[0]

    def check_available(self) -> None:
        """Raise ``SecretStoreUnavailable`` unless a secure keyring backend is configured."""
        self._secure_backend()

    def keyring_in_use(self) -> KeyringInUse:
        """Which keyring keys go to, in words and by keyring's own name of it."""
        try:
            secure = self._secure_backend()
        except SecretStoreError:
            try:
                found = backend_name(self._active_backend())
            except SecretStoreError:
                found = "none"
            return KeyringInUse(None, f"no secure keyring (found: {found})")
        return KeyringInUse(_keyring_place(secure), backend_name(secure))

    def get(self, profile_id: str) -> str | None:
        """The key of a profile, or None when it has none. May block on D-Bus or a prompt.

        Raises ``SecretStoreError`` when the keyring is unavailable, locked or refuses.
        """
        session_key = self.session_key(profile_id)
        if session_key is not None:
            return session_key
        backend = self._secure_backend()
        try:
            value: Any = backend.get_password(SERVICE_NAME, profile_id)
        except Exception as exc:  # any backend failure becomes a message, never a crash
            raise _translate(exc, "reading the key") from exc
        if not value:
            return None
        key = str(value)
        register_secret(key)
        return key

    def set(
        self, profile_id: str, key: str, *, session_only: bool = False, as_stored: bool = False
    ) -> None:
        """Store a profile's key in the keyring, or only in memory with ``session_only``.

        Raises ``InputError`` (field ``api_key``) for an empty or malformed key and
        ``SecretStoreError`` when the keyring cannot take it; then nothing is stored.

        ``as_stored``: ``key`` was read from this store (the key of a profile that is
        copied, or one put back after a failed save), and is stored as it was, unchecked
        but for being empty. An earlier version may have saved it in a form refused now
        (in quotes, say): it is kept, not lost, and the person saves it again once told
        (``core.profiles.SavedKeyUnusable``).
        """
        if not as_stored or not key.strip():
            key = validate_api_key(key)
        register_secret(key)
        if session_only:
            with self._lock:
                self._session_keys[profile_id] = key
            log.info("Key of profile %s kept for this session only", profile_id)
            return
        backend = self._secure_backend()
        try:
            backend.set_password(SERVICE_NAME, profile_id, key)
        except Exception as exc:  # any backend failure becomes a message, never a crash
            raise _translate(exc, "saving the key") from exc
        with self._lock:
            # The keyring now holds the authoritative key; a stale session copy would shadow it.
            self._session_keys.pop(profile_id, None)
        log.info("Key of profile %s saved in %s", profile_id, backend_name(backend))

    def delete(self, profile_id: str, *, even_if_unreachable: bool = False) -> bool:
        """Forget a profile's key in the keyring and in memory; no key is not an error.

        Raises ``SecretStoreUnavailable`` when no secure keyring can be reached and
        ``SecretStoreLocked``/``SecretStoreDenied`` when a stored key could not be
        deleted: a key saved in the keyring earlier may still be there, and a key kept
        for this session only is kept too, since nothing was deleted.

        ``even_if_unreachable``: the caller goes ahead without the keyring (the person
        chose to): the key in memory is forgotten and False returned instead of raising
        ``SecretStoreUnavailable``. Returns True when no key is left anywhere.
        """
        try:
            self._delete_stored(profile_id)
        except SecretStoreUnavailable:
            if not even_if_unreachable:
                raise
            self._forget_session_key(profile_id)
            return False
        self._forget_session_key(profile_id)
        return True

    def delete_stored(self, profile_id: str) -> None:
        """Delete a profile's key from the keyring only; a key kept for this session only
        stays. For a key replaced by one the keyring would not take: the old one must not
        be read again once the session is over. No key is not an error.

        Raises ``SecretStoreError`` (as ``delete`` does) when a stored key could not be
        deleted.
        """
        self._delete_stored(profile_id)

    def _forget_session_key(self, profile_id: str) -> None:
        with self._lock:
            self._session_keys.pop(profile_id, None)

    def _delete_stored(self, profile_id: str) -> None:
        # No keyring now does not mean no key stored: the keyring may only be out of reach
        # (no D-Bus session, its service not started), and the key saved there earlier
        # would outlive a caller that took this for "deleted".
        backend = self._secure_backend(_NOT_DELETED_TEXT)
        import keyring.errors

        try:
            backend.delete_password(SERVICE_NAME, profile_id)
        except keyring.errors.PasswordDeleteError:
            return  # there was no key
        except Exception as exc:  # any backend failure becomes a message, never a crash
            if _is_not_found(exc):
                return
            # A keyring that went away mid-call is as out of reach as one never found.
            raise _translate(exc, "deleting the key", _NOT_DELETED_TEXT) from exc
        log.info("Key of profile %s deleted", profile_id)

    def is_session_only(self, profile_id: str) -> bool:
        """True when the profile's key lives in this process's memory only."""
        with self._lock:
            return profile_id in self._session_keys

    def session_key(self, profile_id: str) -> str | None:
        """The in-memory key of a profile, without touching the keyring (never blocks)."""
        with self._lock:
            key = self._session_keys.get(profile_id)
        if key is not None:
            register_secret(key)
        return key
