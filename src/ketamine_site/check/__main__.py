from ketamine_site.check import main

raise SystemExit(main())
