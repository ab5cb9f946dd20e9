CREATE TABLE upgrade_it_later (id INT PRIMARY KEY);
