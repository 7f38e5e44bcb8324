from django.urls import path

from . import views

urlpatterns = [
    path("vouchers/", views.voucher_list, name="voucher_list"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher_detail"),
    path("budget/", views.budget_execution, name="budget"),
    path("budget/<int:year>/", views.budget_execution, name="budget_year"),
]
