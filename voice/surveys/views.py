"""Member pages (the surveys open to me, answering one) and the results with charts and the .xlsx export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.idempotency import AlreadySubmitted, submit_once
from core.xlsx import XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes
from members.selectors import member_for_user

from ..models import Question, Survey
from . import access, selectors, services
from .charts import bar_chart
from .forms import AnswerForm


@login_required
def survey_list(request):
    member = member_for_user(request.user)
    surveys = selectors.surveys_for_member(member)
    followed = Survey.objects.order_by("-opens_at")[:20] if access.can_see_results(request.user) else []
    return render(request, "voice/surveys/list.html", {"surveys": surveys, "member": member, "followed": followed})


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, pk):
    survey, member = access.survey_for_member(user=request.user, pk=pk)
    questions = survey.questions.all()
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST":  # the service checks audience, window and "once" (the view does not repeat it)
        if form.is_valid():
            try:
                submit_once(request, scope="voice.survey_answer",
                            perform=lambda: services.survey_respond(survey=survey, member=member,
                                                                    answers=form.answers()),
                            url=request.path)
            except AlreadySubmitted as repeated:
                return repeated.response(request)
            except ValidationError as error:
                if error.code == "refused":  # e.g. the second tab, after the first one sent
                    messages.info(request, error.messages[0])
                    return redirect("voice:surveys")
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: your response was recorded."))
                return redirect("voice:surveys")
            refusal = None
        else:
            refusal = services.survey_refusal(survey=survey, member=member)
            if refusal is not None:
                messages.info(request, refusal)
                return redirect("voice:surveys")
    else:
        refusal = services.survey_refusal(survey=survey, member=member)
    return render(request, "voice/surveys/answer.html", {"survey": survey, "form": form, "refusal": refusal})


@login_required
def survey_results(request, pk):
    survey = access.survey_results_for_user(user=request.user, pk=pk)
    figures = selectors.participation(survey)
    hidden = selectors.results_hidden(survey, figures["responses"])
    rows = []
    if not hidden:
        for question, found in selectors.survey_results(survey):
            chart = None if question.kind == Question.Kind.TEXT else bar_chart(found)
            rows.append({"question": question, "rows": found, "chart": chart})
    return render(request, "voice/surveys/results.html", {
        "survey": survey, "figures": figures, "hidden": hidden, "rows": rows,
        "min_respondents": selectors.MIN_RESPONDENTS,
        "satisfaction": None if hidden else selectors.satisfaction_rate(survey)})


@login_required
def survey_export(request, pk):
    survey = access.survey_results_for_user(user=request.user, pk=pk)
    figures = selectors.participation(survey)
    if selectors.results_hidden(survey, figures["responses"]):
        messages.error(request, _("Results are shown from %(count)d respondents on.") % {
            "count": selectors.MIN_RESPONDENTS})
        return redirect("voice:survey_results", pk=survey.pk)
    workbook, sheet = new_sheet(_("Results"), headers=[_("Question"), _("Answer"), _("Count")], widths=(50, 40, 10))
    for question, found in selectors.survey_results(survey):
        for row in found:
            label, count = (row, "") if question.kind == Question.Kind.TEXT else row
            sheet.append([value_cell(sheet, question.text), value_cell(sheet, label), value_cell(sheet, count)])
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response
