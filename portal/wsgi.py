import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Move everything loaded at start-up out of the garbage collector's reach: full collections
# over it cost ~50 ms at the candidate page's p95 (bench/candidate_page.py --freeze-gc).
gc.freeze()
