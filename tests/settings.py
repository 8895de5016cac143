"""The site's settings, plus a throwaway content kind (`tests.leaflets`) only tests install.

The leaflet's page is added to the site's addresses, as a real app's URLs
would be included in `embedded/urls.py`.
"""

from embedded.settings import *  # noqa: F403
from embedded.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.leaflets"]
ROOT_URLCONF = "tests.leaflets.urls"
