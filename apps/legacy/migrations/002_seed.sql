-- Demo users of the legacy app (bcrypt cost 10). Passwords: LegacyPass1! / LegacyPass2! / LegacyPass3!
-- Balances are looked up by email, so the seed does not depend on AUTO_INCREMENT values.

INSERT IGNORE INTO users (email, password_hash, name) VALUES
  ('taro@legacy.paychat.local', '$2b$10$vjqTB.EReHr0Sm4VBBGdoO5Y3rphx3h/toh0kuqbg4AE44U6V4Ghe', '太郎'),
  ('hanako@legacy.paychat.local', '$2b$10$UBF.LckepGtGltA/U9E/KOsq45RJrHOrolg2GpjvFtvbWtZqtx4Uy', '花子'),
  ('jiro@legacy.paychat.local', '$2b$10$O2LNmDyVcNT3qW5VmpcSBekf.fquVuBGXMi36sO91Dziqrq/datcK', '次郎');

INSERT IGNORE INTO balances (user_id, amount)
SELECT id, 5000 FROM users WHERE email = 'taro@legacy.paychat.local'
UNION ALL
SELECT id, 12000 FROM users WHERE email = 'hanako@legacy.paychat.local'
UNION ALL
SELECT id, 0 FROM users WHERE email = 'jiro@legacy.paychat.local';
