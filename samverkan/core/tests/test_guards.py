from samverkan.core.personal_data import find_personal_identity_numbers


def test_finds_valid_personal_identity_numbers():
    # 811218-9876 is Skatteverket's published test number (valid Luhn digit).
    assert find_personal_identity_numbers("Pojke 811218-9876 sågs vid Järntorget") \
        == ["811218-9876"]
    assert find_personal_identity_numbers("19811218-9876") == ["19811218-9876"]


def test_ignores_dates_phone_numbers_and_figures():
    text = ("Möte 2024-03-12 kl 23:00, ring 016-710 81 20 eller 020-100 200; "
            "2576 ungdomar svarade; Anmälda våldsbrott 132 under 2015; 811218-9875")
    assert find_personal_identity_numbers(text) == []


def test_switching_municipality_never_redirects_off_site(world, client):
    client.force_login(world.coordinator)
    response = client.post("/core/switch-municipality/",
                           {"municipality": "0484", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.post("/core/switch-municipality/",
                           {"municipality": "0484", "next": "/agreements/"})
    assert response["Location"] == "/agreements/"
