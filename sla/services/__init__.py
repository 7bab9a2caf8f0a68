"""The only code that writes credits and decides claims: outages (affected contracts and their credits),
claims (grants once, within the deadline, under the cap) and the charges billing invoices."""
