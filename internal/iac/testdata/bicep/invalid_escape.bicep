var x = 'a\qb'
