from django.conf import settings


def portal(request):
    return {"UNION_NAME": settings.UNION_NAME}
