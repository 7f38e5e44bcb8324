from django.urls import path

from . import views_books

urlpatterns = [
    path("vouchers/", views_books.voucher_list, name="voucher_list"),
    path("vouchers/<int:pk>/", views_books.voucher_detail, name="voucher_detail"),
    path("budget/", views_books.budget_execution, name="budget"),
    path("budget/<int:year>/", views_books.budget_execution, name="budget_year"),
]
