"""Build the POST data of the admin's member change form, as a browser would send it."""


def admin_member_form(member, **changes):
    data = {
        "name": member.name, "card_number": member.card_number, "sex": member.sex, "ethnicity": member.ethnicity,
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "id_number": member.id_number or "", "political_status": member.political_status,
        "education": member.education, "phone": member.phone, "email": member.email,
        "department": member.department_id or "", "position": member.position,
        "union_group": member.union_group_id or "",
        "joined_on": member.joined_on.isoformat() if member.joined_on else "",
        "pay_items-TOTAL_FORMS": "0", "pay_items-INITIAL_FORMS": "0",
        "pay_items-MIN_NUM_FORMS": "0", "pay_items-MAX_NUM_FORMS": "1000",
        "leaves-TOTAL_FORMS": "0", "leaves-INITIAL_FORMS": "0",
        "leaves-MIN_NUM_FORMS": "0", "leaves-MAX_NUM_FORMS": "1000",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(changes)
    return data
