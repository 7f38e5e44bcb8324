"""Factories for activities and registrations (shared by the activities tests).

``ActivityFactory()`` is a published activity whose registration window is open now, starting in ten days, with
20 seats. Registrations for rules tests go through ``activities.registration``; ``RegistrationFactory`` writes
rows directly, for set-ups that only need data (query counts, pages).
"""

from datetime import timedelta

import factory
import pytest
from django.db.models import F
from django.utils import timezone, translation
from factory.django import DjangoModelFactory

from activities.models import Activity, ActivityType, Registration, RegistrationQuestion
from tests.factories import MemberFactory


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"秋游{n}")
    activity_type = factory.LazyFunction(lambda: ActivityType.objects.get_or_create(
        code="other", defaults={"name": "其他"})[0])
    place = "植物园"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=6))
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=2))
    capacity = 20
    state = Activity.State.PUBLISHED

    @factory.post_generation
    def union_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.union_groups.set(extracted)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = RegistrationQuestion

    activity = factory.SubFactory(ActivityFactory)
    label = factory.Sequence(lambda n: f"问题{n}")
    kind = RegistrationQuestion.Kind.TEXT


def family_question(activity, *, max_number=4, required=False):
    return QuestionFactory(activity=activity, label="随行家属人数", kind=RegistrationQuestion.Kind.NUMBER,
                           counts_family=True, max_number=max_number, required=required)


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    member = factory.SubFactory(MemberFactory)
    status = Registration.Status.CONFIRMED
    seats = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A seat written directly still holds seats: the activity's counter follows, as the services keep it."""
        registration = super()._create(model_class, *args, **kwargs)
        if registration.status == Registration.Status.CONFIRMED:
            Activity.objects.filter(pk=registration.activity_id).update(
                seats_confirmed=F("seats_confirmed") + registration.seats)
        return registration


@pytest.fixture(autouse=True)
def _english():
    """Assertions on refusal texts read the English message ids, whatever the zh_Hans catalogue says.
    Import it into a test module to use it there."""
    with translation.override("en"):
        yield
