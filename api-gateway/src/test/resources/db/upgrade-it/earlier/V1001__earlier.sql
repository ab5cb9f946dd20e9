CREATE TABLE upgrade_it_earlier (id INT PRIMARY KEY);
