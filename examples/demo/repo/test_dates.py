import unittest

from dates import days_in_month, is_leap, parse_date


class DatesTest(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(parse_date("2024-02-29"), (2024, 2, 29))

    def test_century_leap_years(self):
        self.assertTrue(is_leap(2000))
        self.assertFalse(is_leap(1900))
        self.assertEqual(days_in_month(2000, 2), 29)
        self.assertEqual(parse_date("2000-02-29"), (2000, 2, 29))

    def test_rejects_bad_day(self):
        with self.assertRaises(ValueError):
            parse_date("2023-02-29")


if __name__ == "__main__":
    unittest.main()
