"""Uploads and generated documents are never served as a folder (issue 11 #8): with DEBUG on, /media/ handed payroll
lists with full ID numbers to anyone who guessed a name."""

import importlib

from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import clear_url_caches

import unionportal.urls
from core.models import Job


def test_no_url_serves_the_media_folder_even_with_debug_on():
    login_view = admin.site.login  # the root URLconf wraps the admin login when it is (re)loaded
    with override_settings(DEBUG=True):
        try:
            urls = importlib.reload(unionportal.urls)
            patterns = [str(pattern.pattern) for pattern in urls.urlpatterns]
        finally:
            admin.site.login = login_view
            importlib.reload(unionportal.urls)
            admin.site.login = login_view
            clear_url_caches()
    assert not any("media" in pattern for pattern in patterns), patterns


def test_the_job_admin_names_its_files_without_linking_them(chair, login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    job = Job.objects.create(kind="roster_import", created_by=chair)
    job.input_file.save("名册.csv", ContentFile(b"110101198503121234"), save=True)
    client = login(chair, use_client=Client())
    page = client.get(f"/admin/core/job/{job.pk}/change/").content.decode()
    assert job.input_file.name in page and 'href="/media/' not in page
