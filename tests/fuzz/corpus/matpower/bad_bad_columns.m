function mpc = bad_columns
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
	1	3	0	0	0	0	1	1	0	230	1	1.1	0.9;
	2	1	60	10	0	0	1	1	0	230	1	1.1	0.9;
];
mpc.gen = [
	1	0	0	100	-100	1	100	1	150	10;
];
mpc.branch = [
  1	2	0.01	0.1;
];
mpc.gencost = [
	2	0	0	3	0.01	20	100;
];
