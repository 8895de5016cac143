"""The site's settings, plus a throwaway content kind (`tests.leaflets`) only tests install.

The leaflet's page is added to the site's addresses, as a real app's URLs
would be included in `embedded/urls.py`.
"""

from embedded.settings import *  # noqa: F403
from embedded.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.leaflets"]
ROOT_URLCONF = "tests.leaflets.urls"

# Hashing a password the production way takes most of a second on purpose; tests
# create many accounts and sign in often, and prove nothing about the hash's cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
