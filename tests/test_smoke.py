def test_home_lists_groups(client, groups_seeded):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Digitale Infrastruktur" in html
    assert "Soziales, Gesundheit, Pflege" in html
